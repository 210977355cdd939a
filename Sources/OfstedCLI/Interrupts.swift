import Foundation

/// The temporary files being written, so that an interrupted run removes them before it exits.
///
/// `AtomicFile` creates, renames and discards its temporary files through here. After
/// `removeAllForExit()` nothing is created or renamed any more, so the process can exit without
/// a temporary file, or a half-written output, left behind.
final class TemporaryFiles: @unchecked Sendable {
    static let shared = TemporaryFiles()

    private let lock = NSLock()
    private var paths: Set<String> = []
    private var closed = false

    /// Creates `path` exclusively for writing; a file descriptor, or -1 with `errno` set.
    func create(_ path: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else {
            errno = EINTR
            return -1
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if descriptor >= 0 { paths.insert(path) }
        return descriptor
    }

    /// Renames the temporary file over `path`; 0, or -1 with `errno` set.
    func commit(_ temporary: String, to path: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        guard !closed else {
            errno = EINTR
            return -1
        }
        let result = rename(temporary, path)
        let saved = errno
        if result == 0 { paths.remove(temporary) }
        errno = saved
        return result
    }

    /// Removes a temporary file that will not be committed.
    func discard(_ temporary: String) {
        lock.lock()
        defer { lock.unlock() }
        unlink(temporary)
        paths.remove(temporary)
    }

    /// Removes every temporary file and refuses new ones, for a process about to exit. The lock
    /// stays held: no thread creates or renames a file between this and the exit.
    func removeAllForExit() {
        lock.lock()
        closed = true
        for path in paths { unlink(path) }
        paths.removeAll()
    }
}

/// Interrupts (Ctrl-C, `kill`): remove temporary files, flush complete output, exit 128 + signal.
///
/// SIGINT, SIGTERM and SIGHUP are blocked in every thread and taken by one thread that waits
/// for them, so no worker is interrupted in the middle of a write and the cleanup can take locks.
enum Interrupts {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Installs the handling; call first thing in `main`, before any other thread starts, so
    /// that every later thread inherits the blocked signals.
    static func install(io: StandardIO) {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let thread = Thread {
            var waited = sigset_t()
            sigemptyset(&waited)
            for signal in signals { sigaddset(&waited, signal) }
            var received: Int32 = 0
            while sigwait(&waited, &received) != 0 {}
            TemporaryFiles.shared.removeAllForExit()
            io.flushIfIdle()
            let clear = isatty(STDERR_FILENO) != 0 ? "\r\u{1B}[K" : ""
            let message = Array("\(clear)ofsted: interrupted; no partial output is left\n".utf8)
            _ = message.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(128 + received)
        }
        thread.name = "ofsted-interrupts"
        thread.start()
    }
}
