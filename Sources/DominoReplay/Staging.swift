import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary names Domino writes before renaming into place, and their cleanup.
///
/// Every writer stages under a name that carries its process id: `.NAME.tmp-PID` (a file,
/// `AtomicFileWriter`), `.domino-tmp-PID` (a run directory's staging folder, inside the run
/// directory) and, before this layout, `DIR.tmp-PID` / `DIR.old-PID` beside a run directory.
/// A process killed mid-write leaves them behind; the next writer to the same place removes
/// those whose process is gone (`kill(pid, 0)` fails with ESRCH), and never one of a live process.
package enum Staging {
    /// The staging folder of this process inside a run directory.
    package static func folderName(pid: Int32 = getpid()) -> String { ".domino-tmp-\(pid)" }

    /// Whether process `pid` exists (a process of another user counts as existing).
    package static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) == 0 { return true }
        return errno == EPERM
    }

    /// The process id of a staging name, or nil when `name` is not one.
    package static func stagingPID(_ name: String) -> Int32? {
        for marker in [".domino-tmp-", ".tmp-", ".old-"] {
            guard let range = name.range(of: marker, options: .backwards) else { continue }
            let digits = name[range.upperBound...]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let pid = Int32(digits) else { continue }
            if marker == ".domino-tmp-" && range.lowerBound != name.startIndex { continue }
            return pid
        }
        return nil
    }

    /// Removes, in `directory`, the staging files and folders of dead processes: `.domino-tmp-PID`
    /// folders and `.NAME.tmp-PID` files. `owned` (names a run directory may hold): also the old
    /// `NAME.tmp-PID` / `NAME.old-PID` run directories beside it, when they hold only those names.
    /// Returns the names removed.
    @discardableResult
    package static func cleanStale(in directory: String, ownedNames owned: Set<String>? = nil) -> [String] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = stagingPID(name), pid != getpid(), !isAlive(pid) else { continue }
            let path = (directory.isEmpty ? "." : directory) + "/" + name
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if name.hasPrefix(".domino-tmp-") {
                guard isDirectory.boolValue, onlyOwned(path, owned ?? RunOutput.ownedNames) else { continue }
            } else if name.hasPrefix(".") && name.contains(".tmp-") {
                guard !isDirectory.boolValue else { continue } // an AtomicFileWriter temporary
            } else {
                guard let owned, isDirectory.boolValue, onlyOwned(path, owned) else { continue }
            }
            if (try? fm.removeItem(atPath: path)) != nil { removed.append(name) }
        }
        return removed
    }

    /// Whether the folder at `path` holds nothing but `owned` names (and staging temporaries).
    static func onlyOwned(_ path: String, _ owned: Set<String>) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        return names.allSatisfy { owned.contains($0) || ($0.hasPrefix(".") && stagingPID($0) != nil) }
    }
}
