"""python -m corpusclean"""

from .cli import main

main()
