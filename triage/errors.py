"""Expected failures: each becomes one line on stderr and an exit status, never a traceback."""

USAGE = 2  # bad usage or input
DATA = 2  # the data tree is broken (validate itself exits 1 for problems found)
CANCELLED = 130  # Ctrl-C or end of input at a prompt


class UserError(Exception):
    def __init__(self, message: str, code: int = USAGE):
        super().__init__(message)
        self.message = message
        self.code = code
