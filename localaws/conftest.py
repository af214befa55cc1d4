import sys
from pathlib import Path

# The launcher package and scripts are imported by the tests as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))
