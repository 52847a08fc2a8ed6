"""Spoken forms of sentences written in the style of real administrative
texts (plans, decisions, warnings, notices) that the rules were not tuned
on one by one.  Expected strings are what a good announcer would read."""

import unicodedata

import pytest

from content.normalize import normalize

Y1985 = "một nghìn chín trăm tám mươi lăm"
Y2007 = "hai nghìn không trăm linh bảy"
Y2015 = "hai nghìn không trăm mười lăm"
Y2019 = "hai nghìn không trăm mười chín"
Y2020 = "hai nghìn không trăm hai mươi"
Y2021 = "hai nghìn không trăm hai mươi mốt"
Y2022 = "hai nghìn không trăm hai mươi hai"
Y2023 = "hai nghìn không trăm hai mươi ba"
Y2024 = "hai nghìn không trăm hai mươi tư"
Y2025 = "hai nghìn không trăm hai mươi lăm"
Y2026 = "hai nghìn không trăm hai mươi sáu"
Y2031 = "hai nghìn không trăm ba mươi mốt"

NUMBERS = [
    ("Toàn xã có 4.500 hộ dân", "Toàn xã có bốn nghìn năm trăm hộ dân"),
    ("diện tích 1.234,5 ha", "diện tích một nghìn hai trăm ba mươi tư phẩy năm héc ta"),
    ("có 105 hộ nghèo và 21 hộ cận nghèo", "có một trăm linh năm hộ nghèo và hai mươi mốt hộ cận nghèo"),
    ("Tổng số 1.005 người tham gia", "Tổng số một nghìn không trăm linh năm người tham gia"),
    ("Kết quả 06 tháng đầu năm", "Kết quả sáu tháng đầu năm"),
    ("dân số 12.345 người", "dân số mười hai nghìn ba trăm bốn mươi lăm người"),
    ("có 1/2 số hộ chưa đăng ký", "có một phần hai số hộ chưa đăng ký"),
    ("trực 24/7 trong mùa mưa bão", "trực hai mươi tư trên bảy trong mùa mưa bão"),
    ("xây mới 15 phòng học, sửa chữa 04 nhà văn hóa",
     "xây mới mười lăm phòng học, sửa chữa bốn nhà văn hóa"),
    ("có 2.031.415 lượt truy cập", "có hai triệu không trăm ba mươi mốt nghìn bốn trăm mười lăm lượt truy cập"),
    ("Căn cước công dân số 001085012345",
     "Căn cước công dân số không không một không tám năm không một hai ba bốn năm"),
]

PERCENT_MONEY = [
    ("tăng 0,5% so với cùng kỳ", "tăng không phẩy năm phần trăm so với cùng kỳ"),
    ("đạt 98,25% kế hoạch", "đạt chín mươi tám phẩy hai mươi lăm phần trăm kế hoạch"),
    ("tỷ lệ bao phủ BHYT đạt 93,6%", "tỷ lệ bao phủ bảo hiểm y tế đạt chín mươi ba phẩy sáu phần trăm"),
    ("giảm từ 50% - 70% tiền thuê đất", "giảm từ năm mươi phần trăm đến bảy mươi phần trăm tiền thuê đất"),
    ("mức hỗ trợ 2,5 triệu đồng/người", "mức hỗ trợ hai phẩy năm triệu đồng mỗi người"),
    ("tổng vốn 1,5 tỷ đồng", "tổng vốn một phẩy năm tỷ đồng"),
    ("lệ phí 50.000đ/hồ sơ", "lệ phí năm mươi nghìn đồng mỗi hồ sơ"),
    ("nộp 300.000 VNĐ", "nộp ba trăm nghìn đồng"),
    ("phạt tiền từ 5-10 triệu đồng", "phạt tiền từ năm đến mười triệu đồng"),
    ("học phí 100.000 đồng/tháng", "học phí một trăm nghìn đồng mỗi tháng"),
    ("Tổng kinh phí: 1.250.000.000 đồng", "Tổng kinh phí: một tỷ hai trăm năm mươi triệu đồng"),
    ("mức thu 3.000.025 đồng", "mức thu ba triệu không trăm hai mươi lăm đồng"),
    ("thuế GTGT 10%", "thuế giá trị gia tăng mười phần trăm"),
    ("giá 15.500đ/kg", "giá mười lăm nghìn năm trăm đồng mỗi ki lô gam"),
]

UNITS = [
    ("lượng mưa phổ biến từ 100-150mm", "lượng mưa phổ biến từ một trăm đến một trăm năm mươi mi li mét"),
    ("nhiệt độ 35-37 độ C", "nhiệt độ ba mươi lăm đến ba mươi bảy độ xê"),
    ("nhiệt độ cao nhất 38°C", "nhiệt độ cao nhất ba mươi tám độ xê"),
    ("sức gió 15 m/s", "sức gió mười lăm mét trên giây"),
    ("diện tích 250 m² đất ở", "diện tích hai trăm năm mươi mét vuông đất ở"),
    ("đào đắp 1.200 m3 đất", "đào đắp một nghìn hai trăm mét khối đất"),
    ("hỗ trợ 50 kg gạo", "hỗ trợ năm mươi ki lô gam gạo"),
    ("thu gom 3 tấn rác", "thu gom ba tấn rác"),
    ("phun 20 lít hóa chất", "phun hai mươi lít hóa chất"),
    ("tuyến đường dài 2,5 km", "tuyến đường dài hai phẩy năm ki lô mét"),
    ("diện tích tự nhiên 45,6 km2", "diện tích tự nhiên bốn mươi lăm phẩy sáu ki lô mét vuông"),
    ("mực nước lên 3,5m", "mực nước lên ba phẩy năm mét"),
    ("mưa 120 mm trong 24 giờ", "mưa một trăm hai mươi mi li mét trong hai mươi tư giờ"),
    ("Thời gian xử lý 5 phút", "Thời gian xử lý năm phút"),
]

DATES = [
    ("ngày 05/3/2024", f"ngày năm tháng ba năm {Y2024}"),
    ("Hà Nội, ngày 02 tháng 01 năm 2024", f"Hà Nội, ngày hai tháng một năm {Y2024}"),
    ("ngày 12.5.2024", f"ngày mười hai tháng năm năm {Y2024}"),
    ("từ tháng 4/2024", f"từ tháng tư năm {Y2024}"),
    ("từ ngày 15 - 20/12", "từ ngày mười lăm đến ngày hai mươi tháng mười hai"),
    ("trước ngày 30/6", "trước ngày ba mươi tháng sáu"),
    ("vào Chủ nhật (ngày 12/5)", "vào Chủ nhật, ngày mười hai tháng năm"),
    ("năm học 2023-2024", f"năm học {Y2023} đến {Y2024}"),
    ("giai đoạn 2021-2025", f"giai đoạn {Y2021} đến {Y2025}"),
    ("công dân sinh năm 2007", f"công dân sinh năm {Y2007}"),
    ("trong tháng 12/2023", f"trong tháng mười hai năm {Y2023}"),
    ("nghỉ lễ ngày 30/4 và 1/5", "nghỉ lễ ngày ba mươi tháng tư và ngày một tháng năm"),
    ("từ 15/12/2021 đến 14/3/2022 ", f"từ ngày mười lăm tháng mười hai năm {Y2021} đến ngày mười bốn tháng ba năm {Y2022}"),
    ("Từ ngày 01/01/2025", f"Từ ngày một tháng một năm {Y2025}"),
    ("ngày 20-11-2024", f"ngày hai mươi tháng mười một năm {Y2024}"),
    ("ngày mùng 5/4", "ngày mùng năm tháng tư"),
    ("mùng 2/9", "mùng hai tháng chín"),
    ("tháng 04 năm 2024", f"tháng tư năm {Y2024}"),
    ("ngày 1 tháng 4", "ngày một tháng tư"),
]

TIMES = [
    ("10h00 ngày 05/3/2024", f"mười giờ ngày năm tháng ba năm {Y2024}"),
    ("từ 7h30 - 11h00", "từ bảy giờ ba mươi đến mười một giờ"),
    ("lúc 14 giờ 00 ngày 10/5/2024", f"lúc mười bốn giờ ngày mười tháng năm năm {Y2024}"),
    ("từ 13:30 đến 17:00", "từ mười ba giờ ba mươi đến mười bảy giờ"),
    ("vào lúc 8h ngày 15/4", "vào lúc tám giờ ngày mười lăm tháng tư"),
    ("trước 16h00 ngày 20/5/2024", f"trước mười sáu giờ ngày hai mươi tháng năm năm {Y2024}"),
    ("từ 19h00-21h00", "từ mười chín giờ đến hai mươi mốt giờ"),
    ("bắt đầu 7 giờ 30 phút", "bắt đầu bảy giờ ba mươi phút"),
    ("Thời gian: 7h30, thứ 2 ngày 04/3/2024", f"Thời gian: bảy giờ ba mươi, thứ hai ngày bốn tháng ba năm {Y2024}"),
]

RANGES_LISTS = [
    ("trong thời gian từ 2-3 ngày", "trong thời gian từ hai đến ba ngày"),
    ("gió mạnh cấp 8-9, giật cấp 10-11", "gió mạnh cấp tám đến chín, giật cấp mười đến mười một"),
    ("gió giật cấp 12", "gió giật cấp mười hai"),
    ("rủi ro thiên tai cấp 3", "rủi ro thiên tai cấp ba"),
    ("độ tuổi từ 18-27", "độ tuổi từ mười tám đến hai mươi bảy"),
    ("từ năm 2021 đến năm 2025", f"từ năm {Y2021} đến năm {Y2025}"),
    ("nhiệm kỳ 2026-2031", f"nhiệm kỳ {Y2026} đến {Y2031}"),
    ("dịch vụ công mức độ 3, 4", "dịch vụ công mức độ ba, bốn"),
    ("thủ tục mức độ 3,4", "thủ tục mức độ ba, bốn"),
    ("theo Điều 5, Khoản 2", "theo Điều năm, Khoản hai"),
    ("Khoản 1, 2 và 3 Điều 7", "Khoản một, hai và ba Điều bảy"),
    ("các thôn 2, 5, 7", "các thôn hai, năm, bảy"),
    ("học sinh lớp 10", "học sinh lớp mười"),
    ("nhân dân thôn 3", "nhân dân thôn ba"),
    ("tổ dân phố số 5", "tổ dân phố số năm"),
    ("thửa đất số 125, tờ bản đồ số 12, diện tích 150,5 m2",
     "thửa đất số một trăm hai mươi lăm, tờ bản đồ số mười hai, diện tích một trăm năm mươi phẩy năm mét vuông"),
    ("mỗi giờ đi được 15-20 km", "mỗi giờ đi được mười lăm đến hai mươi ki lô mét"),
    ("mạnh cấp 12-13 (118-149 km/h)",
     "mạnh cấp mười hai đến mười ba, một trăm mười tám đến một trăm bốn mươi chín ki lô mét trên giờ"),
]

ORDINALS_ROMAN = [
    ("thứ 6 hằng tuần", "thứ sáu hằng tuần"),
    ("lần thứ 1", "lần thứ nhất"),
    ("vào Thứ Hai tuần sau", "vào Thứ Hai tuần sau"),
    ("lịch trực T2, T4, T6", "lịch trực thứ hai, thứ tư, thứ sáu"),
    ("làm việc cả T7, CN", "làm việc cả thứ bảy, chủ nhật"),
    ("Đại hội lần thứ XIII của Đảng", "Đại hội lần thứ mười ba của Đảng"),
    ("Quốc hội khóa XV", "Quốc hội khóa mười lăm"),
    ("Quý I/2024", f"Quý một năm {Y2024}"),
    ("trong Quý IV năm 2024", f"trong Quý bốn năm {Y2024}"),
    ("Phần II", "Phần hai"),
    ("Chương III. Tổ chức thực hiện", "Chương ba. Tổ chức thực hiện"),
    ("II. NỘI DUNG", "Hai. Nội dung"),
    ("V. KINH PHÍ", "Năm. Kinh phí"),
    ("thế kỷ XXI", "thế kỷ hai mươi mốt"),
    ("giai đoạn I", "giai đoạn một"),
    ("Bão số 3", "Bão số ba"),
]

STRUCTURE = [
    ("2.3. Phòng Tư pháp", "Hai chấm ba. Phòng Tư pháp"),
    ("c) Thời gian", "xê, Thời gian"),
    ("1. Mục đích", "Một. Mục đích"),
    ("- Các thôn, xóm", "Các thôn, xóm"),
    ("• Đeo khẩu trang nơi công cộng", "Đeo khẩu trang nơi công cộng"),
    ("+ Trưởng thôn", "Trưởng thôn"),
    ("4.2.1. Kinh phí", "Bốn chấm hai chấm một. Kinh phí"),
]

DOCUMENTS = [
    ("số 01/2024/QĐ-UBND ngày 02/01/2024",
     f"số một, năm {Y2024}, quyết định, Ủy ban nhân dân ngày hai tháng một năm {Y2024}"),
    ("Thông tư số 15/2023/TT-BTC", f"Thông tư số mười lăm, năm {Y2023}, thông tư, Bộ Tài chính"),
    ("Nghị quyết 01/NQ-HĐND", "Nghị quyết một, nghị quyết, Hội đồng nhân dân"),
    ("Công văn số 123/UBND-VX", "Công văn số một trăm hai mươi ba, Ủy ban nhân dân, văn xã"),
    ("Thông báo số 45/TB-UBND", "Thông báo số bốn mươi lăm, thông báo, Ủy ban nhân dân"),
    ("Báo cáo số 102/BC-UBND", "Báo cáo số một trăm linh hai, báo cáo, Ủy ban nhân dân"),
    ("Quyết định số 1234/QĐ-TTg ngày 15/8/2023 của Thủ tướng Chính phủ",
     f"Quyết định số một nghìn hai trăm ba mươi tư, quyết định, Thủ tướng Chính phủ ngày mười lăm tháng tám năm {Y2023} của Thủ tướng Chính phủ"),
    ("Nghị định 100/2019/NĐ-CP", f"Nghị định một trăm, năm {Y2019}, nghị định, Chính phủ"),
    ("Chỉ thị 05-CT/TW", "Chỉ thị năm, chỉ thị, Trung ương"),
    ("Kế hoạch 150/KH-BCĐ", "Kế hoạch một trăm năm mươi, kế hoạch, Ban Chỉ đạo"),
    ("Hướng dẫn số 12/HD-SYT", "Hướng dẫn số mười hai, hướng dẫn, Sở Y tế"),
    ("Quyết định 3456/QĐ-BYT", "Quyết định ba nghìn bốn trăm năm mươi sáu, quyết định, Bộ Y tế"),
    ("Điều 5, Khoản 2 Nghị định 15/2020/NĐ-CP",
     f"Điều năm, Khoản hai Nghị định mười lăm, năm {Y2020}, nghị định, Chính phủ"),
    ("Luật Nghĩa vụ quân sự năm 2015", f"Luật Nghĩa vụ quân sự năm {Y2015}"),
    ("Công văn số 234/UBND-KT", "Công văn số hai trăm ba mươi tư, Ủy ban nhân dân, kinh tế"),
    ("Nghị quyết số 02/NQ-TU", "Nghị quyết số hai, nghị quyết, Tỉnh ủy"),
    ("Tờ trình số 20/TTr-UBND", "Tờ trình số hai mươi, tờ trình, Ủy ban nhân dân"),
    ("Thông báo 56/TB-VP", "Thông báo năm mươi sáu, thông báo, văn phòng"),
    ("Kế hoạch số 88/KH-UBND ngày 10/4/2024", f"Kế hoạch số tám mươi tám, kế hoạch, Ủy ban nhân dân ngày mười tháng tư năm {Y2024}"),
]

CAPS_ACRONYMS = [
    ("THÔNG BÁO", "Thông báo"),
    ("QUYẾT ĐỊNH", "Quyết định"),
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ", "Chủ tịch ủy ban nhân dân xã"),
    ("V/v tổ chức khám sức khỏe NVQS năm 2025",
     f"về việc tổ chức khám sức khỏe nghĩa vụ quân sự năm {Y2025}"),
    ("Về việc triển khai công tác PCTT&TKCN năm 2024",
     f"Về việc triển khai công tác phòng chống thiên tai và tìm kiếm cứu nạn năm {Y2024}"),
    ("mã số HTC", "mã số hát tê xê"),
    ("sản phẩm OCOP", "sản phẩm ô cốp"),
    ("quét mã QR", "quét mã cu a"),
]

CONTACTS = [
    ("gọi 0912 345 678", "gọi không chín một hai, ba bốn năm, sáu bảy tám"),
    ("Liên hệ: 0987654321", "Liên hệ: không chín tám bảy, sáu năm bốn, ba hai một"),
    ("tổng đài 1900 1234", "tổng đài một chín không không, một hai ba bốn"),
    ("hoặc 1900 1234", "hoặc một chín không không, một hai ba bốn"),
    ("báo ngay cho Công an qua số 113", "báo ngay cho Công an qua số một một ba"),
    ("gọi 114 khi có cháy", "gọi một một bốn khi có cháy"),
    ("ĐT: 02093.870.123", "điện thoại: không hai không chín ba, tám bảy không, một hai ba"),
    ("+84 912 345 678", "cộng tám tư, chín một hai, ba bốn năm, sáu bảy tám"),
    ("Email: vanthu@thainguyen.gov.vn", "i meo: vanthu a còng thainguyen chấm gốp chấm vê en"),
    ("truy cập https://dichvucong.gov.vn để nộp hồ sơ",
     "truy cập dichvucong chấm gốp chấm vê en để nộp hồ sơ"),
]

ABBREVIATIONS = [
    ("Đ/c Nguyễn Văn A - Chủ tịch UBND xã", "đồng chí Nguyễn Văn A, Chủ tịch Ủy ban nhân dân xã"),
    ("ông Nguyễn Văn B, sinh ngày 12/3/1985", f"ông Nguyễn Văn Bê, sinh ngày mười hai tháng ba năm {Y1985}"),
    ("KT. CHỦ TỊCH", "ký thay chủ tịch"),
    ("TM. ỦY BAN NHÂN DÂN", "thay mặt ủy ban nhân dân"),
    ("TL. CHỦ TỊCH", "thừa lệnh chủ tịch"),
    ("TUQ. CHỦ TỊCH", "thừa ủy quyền chủ tịch"),
    ("Q. CHỦ TỊCH", "quyền chủ tịch"),
    ("P CT UBND xã", "phó chủ tịch Ủy ban nhân dân xã"),
    ("Ban CHQS xã", "Ban Chỉ huy quân sự xã"),
    ("BCH Đoàn xã", "Ban Chấp hành Đoàn xã"),
    ("phối hợp với CAX", "phối hợp với công an xã"),
    ("Đảng ủy, HĐND, UBND, UBMTTQ xã",
     "Đảng ủy, Hội đồng nhân dân, Ủy ban nhân dân, Ủy ban Mặt trận Tổ quốc xã"),
    ("Sở GD&ĐT tỉnh", "Sở Giáo dục và Đào tạo tỉnh"),
    ("Phòng TN&MT huyện", "Phòng Tài nguyên và Môi trường huyện"),
    ("bảo đảm ATTP, ATGT", "bảo đảm an toàn thực phẩm, an toàn giao thông"),
    ("công tác GPMB, xây dựng NTM", "công tác giải phóng mặt bằng, xây dựng nông thôn mới"),
    ("bầu cử ĐBQH khóa XVI", "bầu cử đại biểu Quốc hội khóa mười sáu"),
    ("phòng chống SXH", "phòng chống sốt xuất huyết"),
    ("số TK: 1234", "số tài khoản: một nghìn hai trăm ba mươi tư"),
    ("Trường THCS và THPT", "Trường trung học cơ sở và trung học phổ thông"),
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("thuế TNCN", "thuế thu nhập cá nhân"),
    ("tuyến QL1A", "tuyến quốc lộ một a"),
    ("tuyến ĐT.264", "tuyến đường tỉnh hai trăm sáu mươi tư"),
    ("dọc ĐT 264", "dọc đường tỉnh hai trăm sáu mươi tư"),
    ("tại Km12+500 QL3B", "tại ki lô mét mười hai cộng năm trăm quốc lộ ba bê"),
    ("trụ sở tại P. Tân Lập, TP. Thái Nguyên", "trụ sở tại phường Tân Lập, thành phố Thái Nguyên"),
    ("P. GIÁM ĐỐC", "phó giám đốc"),
    ("thực hiện CCHC, TTHC", "thực hiện cải cách hành chính, thủ tục hành chính"),
    ("CBCCVC và người lao động", "cán bộ, công chức, viên chức và người lao động"),
    ("Nghị quyết NQ-CP", "Nghị quyết nghị quyết, Chính phủ"),
]

WARNINGS_AND_NOTICES = [
    ("Hồi 13 giờ ngày 05/9, vị trí tâm bão ở vào khoảng 18,5 độ Vĩ Bắc; 110,2 độ Kinh Đông.",
     ("Hồi mười ba giờ ngày năm tháng chín, vị trí tâm bão ở vào khoảng mười tám phẩy năm độ Vĩ Bắc; "
     "một trăm mười phẩy hai độ Kinh Đông.")),
    ("Cấp độ rủi ro thiên tai do bão: cấp 4.", "Cấp độ rủi ro thiên tai do bão: cấp bốn."),
    ("Mưa 50-100 mm/24h.", "Mưa năm mươi đến một trăm mi li mét trong hai mươi tư giờ."),
    ("Báo động III", "Báo động ba"),
    ("Sóng biển cao 2-4m.", "Sóng biển cao hai đến bốn mét."),
    ("Thời gian tổ chức: 02 ngày, từ ngày 12-13/6/2024.",
     f"Thời gian tổ chức: hai ngày, từ ngày mười hai đến ngày mười ba tháng sáu năm {Y2024}."),
    ("Mọi ý kiến đóng góp xin gửi về UBND xã trước 17h00 ngày 30/8/2024.",
     f"Mọi ý kiến đóng góp xin gửi về Ủy ban nhân dân xã trước mười bảy giờ ngày ba mươi tháng tám năm {Y2024}."),
    ("Mức thu lệ phí: 8.000 đồng/lần cấp.", "Mức thu lệ phí: tám nghìn đồng mỗi lần cấp."),
    ("Đơn giá 20 triệu đồng/ha.", "Đơn giá hai mươi triệu đồng mỗi héc ta."),
    ("Kinh phí: 150 tr.đ", "Kinh phí: một trăm năm mươi triệu đồng"),
    ("Tổng số phiếu bầu hợp lệ: 3.456/3.500 phiếu, đạt 98,74%.",
     ("Tổng số phiếu bầu hợp lệ: ba nghìn bốn trăm năm mươi sáu trên ba nghìn năm trăm phiếu, "
     "đạt chín mươi tám phẩy bảy mươi tư phần trăm.")),
    ("Số tài khoản: 8888.1234.5678", "Số tài khoản: tám tám tám tám, một hai ba bốn, năm sáu bảy tám"),
    ("Xếp loại: Hoàn thành tốt nhiệm vụ (HTTNV).", "Xếp loại: Hoàn thành tốt nhiệm vụ."),
    ("Làm việc từ T2-T6.", "Làm việc từ thứ hai đến thứ sáu."),
    ("sáng T5 (12/9)", "sáng thứ năm, ngày mười hai tháng chín"),
    ("Đơn vị T3", "Đơn vị tê ba"),
    ("Hạn nộp: 31/12.", "Hạn nộp: ngày ba mươi mốt tháng mười hai."),
    ("Có 3/5 xã đạt chuẩn", "Có ba trên năm xã đạt chuẩn"),
    ("Quý I, II năm 2024", f"Quý một, hai năm {Y2024}"),
    ("Tỷ lệ 1:500", "Tỷ lệ một phần năm trăm"),
    ("Hộ chiếu số B1234567", "Hộ chiếu số bê một hai ba bốn năm sáu bảy"),
    ("tuyến đường ĐT.264", "tuyến đường tỉnh hai trăm sáu mươi tư"),
    ("Quyết định số 15/QĐ-CTUBND", "Quyết định số mười lăm, quyết định, Chủ tịch Ủy ban nhân dân"),
    ("Luật số 15/2012/QH13 và QH14",
     "Luật số mười lăm, năm hai nghìn không trăm mười hai, Quốc hội mười ba và Quốc hội mười bốn"),
    ("Thông tư liên tịch số 10/2016/TTLT-BNV-BTC",
     "Thông tư liên tịch số mười, năm hai nghìn không trăm mười sáu, thông tư liên tịch, Bộ Nội vụ, Bộ Tài chính"),
    ("Giờ làm việc: Sáng từ 7h30' đến 11h30'", "Giờ làm việc: Sáng từ bảy giờ ba mươi đến mười một giờ ba mươi"),
    ("Hiện nay 1 USD = 25.000 đồng.", "Hiện nay một đô la Mỹ bằng hai mươi lăm nghìn đồng."),
    ("Người thứ 2, thứ 3 đóng bằng 70%, 60%",
     "Người thứ hai, thứ ba đóng bằng bảy mươi phần trăm, sáu mươi phần trăm"),
    ("Mùng 1 Tết", "Mùng một Tết"),
    ("nghỉ từ ngày 30-4 đến hết ngày 1-5", "nghỉ từ ngày ba mươi tháng tư đến hết ngày một tháng năm"),
    ("Từ 0h00 ngày 01/10", "Từ không giờ ngày một tháng mười"),
    ("Năm 2024, toàn xã có 9/9 thôn đạt chuẩn.",
     f"Năm {Y2024}, toàn xã có chín trên chín thôn đạt chuẩn."),
    ("Gần 1/3 diện tích.", "Gần một phần ba diện tích."),
    ("Thu nhập đạt 55 triệu đồng/người/năm.", "Thu nhập đạt năm mươi lăm triệu đồng mỗi người mỗi năm."),
    ("Hội LHPN xã; Đoàn TNCS Hồ Chí Minh xã; Hội CCB; Hội ND.",
     "Hội Liên hiệp Phụ nữ xã; Đoàn Thanh niên Cộng sản Hồ Chí Minh xã; Hội cựu chiến binh; Hội Nông dân."),
    ("Kỷ niệm 94 năm Ngày thành lập Đảng (03/02/1930 - 03/02/2024).",
     ("Kỷ niệm chín mươi tư năm Ngày thành lập Đảng, ngày ba tháng hai năm một nghìn chín trăm ba mươi "
     f"đến ngày ba tháng hai năm {Y2024}.")),
    ("Sáng ngày 15/9 (tức ngày 13/8 âm lịch)",
     "Sáng ngày mười lăm tháng chín, tức ngày mười ba tháng tám âm lịch"),
    ("Đ/c Nguyễn Thị Hoa - PCT UBND xã - Trưởng ban",
     "đồng chí Nguyễn Thị Hoa, phó chủ tịch Ủy ban nhân dân xã, Trưởng ban"),
    ("- TT Đảng ủy, TT HĐND xã (b/c);", "thường trực Đảng ủy, thường trực Hội đồng nhân dân xã, báo cáo"),
    ("KẾ HOẠCH PHÒNG, CHỐNG DỊCH COVID-19 NĂM 2024",
     f"Kế hoạch phòng, chống dịch cô vít mười chín năm {Y2024}"),
    ("Nhiệt độ có thể xuống -2°C.", "Nhiệt độ có thể xuống âm hai độ xê."),
    ("từ -3 đến -1 độ C", "từ âm ba đến âm một độ xê"),
    ("Tọa độ 21°35' Bắc", "Tọa độ hai mươi mốt độ ba mươi lăm phút Bắc"),
    ("Các ngày 14, 15 và 16/9.", "Các ngày mười bốn, mười lăm và mười sáu tháng chín."),
    ("ngày 01, 02/10/2024", f"ngày một, hai tháng mười năm {Y2024}"),
    ("Lãi suất 0,5%/tháng", "Lãi suất không phẩy năm phần trăm mỗi tháng"),
    ("Q. Chủ tịch", "quyền Chủ tịch"),
    ("Ngày 16/9/2024 (thứ 2)", f"Ngày mười sáu tháng chín năm {Y2024}, thứ hai"),
    ("Hội nghị lần thứ 10 BCH Đảng bộ xã khóa XXV",
     "Hội nghị lần thứ mười Ban Chấp hành Đảng bộ xã khóa hai mươi lăm"),
]

ALL = (WARNINGS_AND_NOTICES + NUMBERS + PERCENT_MONEY + UNITS + DATES + TIMES + RANGES_LISTS + ORDINALS_ROMAN + STRUCTURE
       + DOCUMENTS + CAPS_ACRONYMS + CONTACTS + ABBREVIATIONS)


@pytest.mark.parametrize(("written", "spoken"), ALL)
def test_unseen_sentence(written, spoken):
    assert normalize(written) == spoken


@pytest.mark.parametrize(
    "text",
    ["Uỷ ban nhân dân xã tổ chức hoà giải ngày 26/01/2024", "Thủy lợi, khoẻ mạnh, Quý IV/2024"],
)
def test_unseen_nfd_and_tone_placement(text):
    nfc = normalize(text)
    assert normalize(unicodedata.normalize("NFD", text)) == nfc
    assert "Uỷ" not in nfc and "hoà" not in nfc and "khoẻ" not in nfc
