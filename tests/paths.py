"""Every path the tests use, in one place."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SOURCE = FIXTURES / "notice-source.txt"  # a copy of ../shared/notice-source.txt
DATA = ROOT / "data" / "notice.yaml"  # format 2
DATA_V1 = FIXTURES / "notice-v1.yaml"  # the same notice in format 1 (rectcli 1.x), which still loads
SCHEMA = ROOT / "data" / "notice.schema.json"
INVALID = FIXTURES / "invalid"
