#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// All file system calls of DominoLog. Errors name the path and the OS's reason.
#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif

package enum Syscall {
    package static func reason() -> String { String(cString: strerror(errno)) }

    /// Writes all of `bytes` to `fd`, writing again after a short or interrupted write. Returns
    /// nil when all is written, else the `errno` of the write that failed (0 if it wrote nothing).
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n < 0 ? errno : 0 }
            done += n
        }
        return nil
    }
}

/// A file opened for positioned reads. Reads never allocate more than asked, and the caller
/// bounds every request by the file's size before asking.
package final class ReadableFile {
    package let path: String
    private let fd: Int32
    package let size: UInt64

    package init(path: String) throws {
        self.path = path
        // Non-blocking: opening a FIFO for reading would otherwise wait for a writer forever.
        // Whatever is not a regular file is refused below, before any read.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw LogError(.io, "cannot open: \(Syscall.reason())", file: path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let why = Syscall.reason()
            close(fd)
            throw LogError(.io, "cannot stat: \(why)", file: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw LogError(.io, "not a regular file (\(ReadableFile.kind(info.st_mode)))", file: path)
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        self.fd = fd
        self.size = UInt64(info.st_size)
    }

    deinit { close(fd) }

    /// What a file that is not a regular one is, in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a plain file"
        }
    }

    /// The whole file, if it is a regular file no larger than `limit` bytes (never blocks on a
    /// FIFO or device: see `init`).
    package static func contents(path: String, limit: Int) throws -> [UInt8] {
        let file = try ReadableFile(path: path)
        guard file.size <= UInt64(limit) else { throw LogError(.io, "\(file.size) bytes: larger than the \(limit) bytes allowed", file: path) }
        return try file.read(at: 0, count: Int(file.size))
    }

    /// Reads `count` bytes at `offset` into `buffer` (replacing its contents). The range must lie
    /// inside the file; a short read is an error.
    package func read(at offset: UInt64, count: Int, into buffer: inout [UInt8]) throws {
        precondition(count >= 0)
        guard offset <= size, UInt64(count) <= size - offset else {
            throw LogError(.truncated, "needs \(count) bytes but the file ends at \(size)", file: path, offset: offset)
        }
        if buffer.count != count {
            if buffer.count < count { buffer.append(contentsOf: repeatElement(0, count: count - buffer.count)) }
            else { buffer.removeLast(buffer.count - count) }
        }
        var done = 0
        try buffer.withUnsafeMutableBytes { raw in
            while done < count {
                let n = pread(fd, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw LogError(.io, "read failed: \(Syscall.reason())", file: path, offset: offset + UInt64(done))
                }
                if n == 0 { throw LogError(.truncated, "unexpected end of file", file: path, offset: offset + UInt64(done)) }
                done += n
            }
        }
    }

    package func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        var buffer: [UInt8] = []
        try read(at: offset, count: count, into: &buffer)
        return buffer
    }
}

/// Writes a file through a temporary sibling and renames it into place on `commit()`, so a
/// reader never sees a half-written file and an existing file survives a failed write.
/// Dropped without `commit()`, it removes the temporary file.
package final class AtomicFileWriter {
    package let path: String
    package let temporaryPath: String
    private var fd: Int32
    private var committed = false
    package private(set) var bytesWritten: UInt64 = 0

    package init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporaryPath = "\(dir).\(base).tmp-\(getpid())"
        fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LogError(.io, "cannot create \(temporaryPath): \(Syscall.reason())", file: path) }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(temporaryPath) }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        if Syscall.writeAll(fd, bytes) != nil {
            throw LogError(.io, "write failed: \(Syscall.reason())", file: path)
        }
        bytesWritten += UInt64(bytes.count)
    }

    package func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Flushes to disk and renames the temporary file to `path`.
    package func commit() throws {
        guard !committed else { return }
        guard fsync(fd) == 0 else { throw LogError(.io, "fsync failed: \(Syscall.reason())", file: path) }
        close(fd)
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            throw LogError(.io, "cannot rename \(temporaryPath) into place: \(Syscall.reason())", file: path)
        }
        committed = true
    }
}
