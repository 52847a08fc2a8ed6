"""The Word report opens in LibreOffice: converted to PDF headless, first page rendered to PNG
by pdftoppm and checked non-blank. The PNG is kept in tests/artifacts/ to look at."""

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from radio import settings as radio_settings
from radio.clock import STATION_TZ
from radio.reports import docx_export, periods
from tests.support.proof import log_occurrence

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftoppm")),
                                 reason="needs libreoffice-writer and poppler-utils (scripts/install.sh test)")]


def test_docx_converts_to_pdf_with_a_non_blank_first_page(db, tmp_path):
    from PIL import Image

    for month in range(1, 13):
        for day in (2, 12, 22):
            log_occurrence(db, datetime(2026, month, day, 5, 30, tzinfo=STATION_TZ),
                           title=f"Tuyên truyền cải cách hành chính tháng {month}",
                           topic="cchc" if month != 5 else "nongnghiep")
    settings = {s.name: s.default for s in radio_settings.SETTINGS}
    docx = docx_export.write(db, tmp_path / "bao-cao-2026.docx", periods.parse("2026"),
                             now=datetime(2026, 12, 20, 9, tzinfo=STATION_TZ), settings=settings)
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "bao-cao-2026.pdf"
    assert pdf.stat().st_size > 10_000
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT", "Độc lập - Tự do - Hạnh phúc", "Số: .../BC-UBND",
                     "BÁO CÁO", "năm 2026", "Nơi nhận:"):
        assert expected in text, expected
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / "report-page"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(pdf), str(stem)],
                   check=True, capture_output=True, timeout=60)
    pages = sorted(ARTIFACTS.glob("report-page-*.png"))
    print(f"report pages kept at {', '.join(map(str, pages))}")
    first = np.asarray(Image.open(pages[0]).convert("L"))
    dark = (first < 128).mean()
    assert 0.01 < dark < 0.5, f"first page looks blank or black ({dark:.1%} dark pixels)"
    # the chart (second page) has coloured bars
    second = np.asarray(Image.open(pages[1]).convert("RGB")).astype(int)
    green = ((second[..., 1] - second[..., 0] > 60) & (second[..., 1] - second[..., 2] > 60)).mean()
    assert green > 0.005
