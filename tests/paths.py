"""Every path the tests use, in one place."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SOURCE = FIXTURES / "notice-source.txt"  # a copy of ../shared/notice-source.txt
DATA = ROOT / "data" / "notice.yaml"
SCHEMA = ROOT / "data" / "notice.schema.json"
INVALID = FIXTURES / "invalid"
