#!/usr/bin/env python3
"""zonearchive command line: python build.py {build,serve,extract,clean} --help"""

import os
import sys

from zonearchive.cli import main

if __name__ == "__main__":
    code = main(process_ends=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave without freeing the heap object by object (half a second after a
    # 10,000-article build): the operating system takes it back at once.
    os._exit(code or 0)
