"""Where the bundled sample workbook lives. Apart from ``sample`` (which writes it with
openpyxl and NumPy) so that every import can tell the sample by its hash without
loading the workbook writer."""
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
SAMPLE_FILE = "服務效能示範資料_108-113.xlsx"


def sample_path() -> Path:
    return SAMPLE_DIR / SAMPLE_FILE
