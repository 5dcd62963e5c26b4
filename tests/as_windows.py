"""Run the `triage` command as on Windows: what Windows' Python lacks is removed before the
package is imported, and what it has instead is added.

    python tests/as_windows.py contacts -a herts

Removed: SIGHUP and the POSIX-only signals, signal masks (pthread_sigmask), O_NONBLOCK,
O_DIRECTORY, O_CLOEXEC, dir_fd (os.supports_dir_fd is empty, and a dir_fd argument raises
NotImplementedError, as there), opening a folder (PermissionError, as there), user ids
(os.getuid), and the termios, tty, fcntl, pwd, grp and resource modules. A folder reports mode
0o777 and a file 0o666, owned by uid 0, as os.stat does on Windows. Added: SIGBREAK,
O_BINARY, and an msvcrt with no keys waiting. (sys.platform stays "linux": prompt_toolkit would
otherwise load its Windows console code, which needs the real Windows API.)

glibc's strftime flags (%-d) cannot be removed here: tests/test_windows.py looks for them in
the source instead. platformdirs, which decides by sys.platform, gives Windows' cache folder
(%LOCALAPPDATA%\triage\Cache).
"""
import functools
import os
import signal
import stat
import sys
import types

import _signal

WINDOWS_LACKS_SIGNALS = ("SIGHUP", "SIGQUIT", "SIGALRM", "SIGUSR1", "SIGUSR2", "SIGPIPE", "SIGCHLD", "SIGTSTP",
                         "SIGCONT", "SIGWINCH", "pthread_sigmask", "pthread_kill", "sigwait", "siginterrupt",
                         "setitimer", "getitimer", "alarm", "pause", "sigpending")
WINDOWS_LACKS_OS = ("O_NONBLOCK", "O_DIRECTORY", "O_CLOEXEC", "O_NOFOLLOW", "O_NOCTTY", "getuid", "geteuid", "getgid",
                    "getegid", "fchmod", "fchown", "mkfifo", "mknod", "getpgrp", "setsid")
WINDOWS_LACKS_MODULES = ("termios", "tty", "pty", "fcntl", "pwd", "grp", "resource")
SIGBREAK = 21  # its number on Windows
O_BINARY = 0x8000


def _no_dir_fd(function):
    @functools.wraps(function)
    def call(*args, **kwargs):
        if any(kwargs.get(name) is not None for name in ("dir_fd", "src_dir_fd", "dst_dir_fd")):
            raise NotImplementedError("dir_fd unavailable on this platform")
        return function(*args, **kwargs)
    return call


def _windows_open(real_open):
    @functools.wraps(real_open)
    def open_(path, flags, mode=0o777, *, dir_fd=None):
        if dir_fd is not None:
            raise NotImplementedError("dir_fd unavailable on this platform")
        if os.path.isdir(path):  # Windows opens no folder with os.open
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, mode)
    return open_


def _windows_stat(real_stat):
    @functools.wraps(real_stat)
    def stat_(path, *args, **kwargs):
        info = real_stat(path, *args, **kwargs)
        kind = stat.S_IFMT(info.st_mode)
        mode = kind | (0o777 if kind == stat.S_IFDIR else 0o666)
        fields = list(info[:10])
        fields[0], fields[4], fields[5] = mode, 0, 0  # st_mode, st_uid, st_gid
        extra = {name: getattr(info, name) for name in ("st_atime", "st_mtime", "st_ctime", "st_atime_ns",
                                                        "st_mtime_ns", "st_ctime_ns")}
        return os.stat_result(fields, extra)
    return stat_


def simulate() -> None:
    # platformdirs decides by sys.platform, which stays "linux": its Unix code needs os.getuid.
    # Windows' answer is %LOCALAPPDATA%\<app>\Cache.
    import platformdirs

    platformdirs.user_cache_dir = lambda appname=None, appauthor=None, *rest, **options: os.path.join(
        os.environ.get("LOCALAPPDATA") or os.path.join(os.environ.get("USERPROFILE", ""), "AppData", "Local"),
        appname or "", "Cache")
    for module in (signal, _signal):
        for name in WINDOWS_LACKS_SIGNALS:
            if hasattr(module, name):
                delattr(module, name)
        module.SIGBREAK = SIGBREAK
    for name in WINDOWS_LACKS_OS:
        if hasattr(os, name):
            delattr(os, name)
    os.O_BINARY = O_BINARY
    os.open = _windows_open(os.open)
    for name in ("replace", "rename", "link", "unlink", "remove", "mkdir", "rmdir", "chmod", "utime", "readlink",
                 "symlink", "access"):
        setattr(os, name, _no_dir_fd(getattr(os, name)))
    os.stat = _windows_stat(os.stat)
    os.lstat = _windows_stat(os.lstat)
    os.fstat = _windows_stat(os.fstat)
    os.supports_dir_fd = set()
    for name in WINDOWS_LACKS_MODULES:
        sys.modules[name] = None  # `import termios` raises ImportError
    # subprocess takes an importable msvcrt for Windows itself (and then needs _winapi): it is
    # loaded first, as the POSIX module it must stay here.
    import subprocess  # noqa: F401


    msvcrt = types.ModuleType("msvcrt")
    msvcrt.kbhit = lambda: False
    msvcrt.getwch = lambda: ""
    sys.modules["msvcrt"] = msvcrt


if __name__ == "__main__":
    simulate()
    sys.argv = ["triage", *sys.argv[1:]]
    from triage.entry import main

    main()
