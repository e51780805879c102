#!/usr/bin/env python3
"""zonearchive command line: python build.py {build,serve,extract,clean} --help"""

import sys

from zonearchive.cli import main

if __name__ == "__main__":
    sys.exit(main())
