"""Chat UI on the default corpus: `python app.py` (builds the index on first run)."""

import sys

from untact_qa.ui import main

if __name__ == "__main__":
    sys.exit(main())
