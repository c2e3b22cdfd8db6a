import Foundation
import OtklikCore
import ZIPFoundation

/// The ZIP side of an XLSX file: reads parts with limits that defuse zip bombs (declared sizes, the
/// compression ratio, and the bytes actually inflated, which a forged header cannot hide), and writes
/// the parts of `XLSXWriter` into a package.
struct XLSXPackage {
    struct Failure: Error, Sendable { var russian: String }

    /// No real export has a part this large; a 200 000-row sheet is a few hundred megabytes.
    static let maxPartBytes: Int64 = 1_200_000_000
    static let maxEntries = 10_000
    /// Sheet XML compresses 10–30 times; hundreds of times is a bomb.
    static let maxRatio: Int64 = 250

    private let archive: Archive
    private let entries: [String: Entry]

    init(data: Data) throws(Failure) {
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw Failure(russian: "файл не является книгой Excel (XLSX): архив повреждён или это другой формат")
        }
        var map: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            if count > Self.maxEntries { throw Failure(russian: "в архиве XLSX больше \(Self.maxEntries) частей: файл отклонён как небезопасный") }
            map[entry.path.lowercased()] = entry
        }
        entries = map
    }

    static func looksLikeZip(_ bytes: Data) -> Bool {
        bytes.count >= 4 && bytes.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }

    /// The bytes of a part, or nil when the package has no such part.
    func part(_ path: String) throws(Failure) -> [UInt8]? {
        guard let entry = entries[path.lowercased()] else { return nil }
        let declared = Int64(entry.uncompressedSize)
        let compressed = max(Int64(entry.compressedSize), 1)
        if declared > Self.maxPartBytes || (declared > 16_000_000 && declared / compressed > Self.maxRatio) {
            throw Failure(russian: "часть «\(path)» распаковывается в \(declared / 1_000_000) МБ из \(compressed / 1_000_000) МБ: файл похож на «zip-бомбу» и отклонён")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(min(declared, 64_000_000)))
        var inflated: Int64 = 0
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                inflated += Int64(chunk.count)
                // A forged header can understate the size: count what actually comes out.
                if inflated > max(declared, 0) + 1_000_000 || inflated > Self.maxPartBytes || inflated / compressed > Self.maxRatio * 4 {
                    throw Failure(russian: "часть «\(path)» распаковывается больше заявленного размера: файл похож на «zip-бомбу» и отклонён")
                }
                out.append(contentsOf: chunk)
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(russian: "часть «\(path)» не распаковывается: файл повреждён (\(error))")
        }
        return out
    }

    /// Zips the parts of a workbook (deflate).
    static func write(_ parts: [(path: String, bytes: [UInt8])]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in parts {
            let data = Data(part.bytes)
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return archive.data ?? Data()
    }
}
