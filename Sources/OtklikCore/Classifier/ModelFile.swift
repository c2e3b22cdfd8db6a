import Foundation

/// The model file: a signature, the format version, JSON metadata, the IDF and weights of the buckets
/// training saw (others are zero and not stored), and a checksum over everything before it, so that a file
/// from another version, a truncated copy or a different file is named as such instead of mispredicting.
///
///     "OTKLIKTM" | u32 version | u32 n + JSON metadata | u32 bits | u32 K | K × f32 bias
///     | u32 n + n × (u32 bucket, f32 idf) | u32 n + n × (u32 bucket, K × f32 weight) | u64 FNV-1a checksum
///
/// Numbers are little-endian.
public enum ModelFile {
    public static let signature = Array("OTKLIKTM".utf8)
    public static let formatVersion: UInt32 = 1

    public enum ReadError: Error, Equatable, Sendable {
        case notAModel
        case otherVersion(UInt32)
        case corrupt(String)

        public var russian: String {
            switch self {
            case .notAModel:
                "Это не файл модели Otklik: в начале нет подписи OTKLIKTM. Укажите файл, созданный командой «otklik model train»."
            case .otherVersion(let v):
                "Модель записана в формате версии \(v), а эта версия Otklik читает формат \(ModelFile.formatVersion). Обучите модель заново командой «otklik model train»."
            case .corrupt(let why):
                "Файл модели повреждён (\(why)): вероятно, он обрезан при копировании или изменён. Обучите модель заново или возьмите исходную копию."
            }
        }
    }

    public static func encode(_ model: TextModel) -> [UInt8] {
        var out: [UInt8] = signature
        out.reserveCapacity(1 << 20)
        put(&out, formatVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let meta = (try? encoder.encode(model.metadata)).map(Array.init) ?? Array("{}".utf8)
        put(&out, UInt32(meta.count))
        out += meta
        put(&out, UInt32(model.hasher.bits))
        let k = model.classCount
        put(&out, UInt32(k))
        for b in model.bias { put(&out, b.bitPattern) }
        let known = model.idf.indices.filter { model.idf[$0] > 0 }
        put(&out, UInt32(known.count))
        for f in known {
            put(&out, UInt32(f))
            put(&out, model.idf[f].bitPattern)
        }
        let rows = known.filter { f in (0..<k).contains { model.weights[f * k + $0] != 0 } }
        put(&out, UInt32(rows.count))
        for f in rows {
            put(&out, UInt32(f))
            for c in 0..<k { put(&out, model.weights[f * k + c].bitPattern) }
        }
        put(&out, checksum(out[...]))
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(ReadError) -> TextModel {
        guard bytes.count >= signature.count, Array(bytes[0..<signature.count]) == signature else { throw .notAModel }
        var r = Reader(bytes: bytes, at: signature.count)
        let version = try r.u32()
        guard version == formatVersion else { throw .otherVersion(version) }
        guard bytes.count >= signature.count + 12 else { throw .corrupt("файл короче заголовка") }
        let stored = bytes.withUnsafeBytes { raw in
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(raw[bytes.count - 8 + $1]) << (8 * UInt64($1)) }
        }
        guard stored == checksum(bytes[0..<(bytes.count - 8)]) else { throw .corrupt("контрольная сумма не совпадает") }
        let metaLength = Int(try r.u32())
        let metaBytes = try r.bytes(metaLength)
        guard let metadata = try? JSONDecoder().decode(TextModel.Metadata.self, from: Data(metaBytes)) else {
            throw .corrupt("описание модели не читается")
        }
        let bits = Int(try r.u32())
        guard FeatureHasher.allowedBits.contains(bits) else { throw .corrupt("размер таблицы признаков 2^\(bits)") }
        let k = Int(try r.u32())
        guard k >= 2, k == metadata.labels.count else { throw .corrupt("число классов не совпадает с описанием") }
        var bias: [Float] = []
        for _ in 0..<k { bias.append(Float(bitPattern: try r.u32())) }
        let size = 1 << bits
        var idf = [Float](repeating: 0, count: size)
        let idfCount = Int(try r.u32())
        guard idfCount <= size else { throw .corrupt("лишние признаки") }
        for _ in 0..<idfCount {
            let f = Int(try r.u32())
            guard f < size else { throw .corrupt("номер признака вне таблицы") }
            idf[f] = Float(bitPattern: try r.u32())
        }
        var weights = [Float](repeating: 0, count: size * k)
        let rowCount = Int(try r.u32())
        guard rowCount <= size else { throw .corrupt("лишние строки весов") }
        for _ in 0..<rowCount {
            let f = Int(try r.u32())
            guard f < size else { throw .corrupt("номер признака вне таблицы") }
            for c in 0..<k { weights[f * k + c] = Float(bitPattern: try r.u32()) }
        }
        guard r.at == bytes.count - 8 else { throw .corrupt("лишние данные в конце") }
        guard metadata.temperature.isFinite, metadata.temperature > 0 else { throw .corrupt("температура калибровки") }
        return TextModel(metadata: metadata, hasher: FeatureHasher(bits: bits), idf: idf, weights: weights, bias: bias)
    }

    static func put(_ out: inout [UInt8], _ v: UInt32) {
        for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) }
    }

    static func put(_ out: inout [UInt8], _ v: UInt64) {
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    struct Reader {
        let bytes: [UInt8]
        var at: Int

        mutating func u32() throws(ReadError) -> UInt32 {
            guard at + 4 <= bytes.count - 8 || (at + 4 <= bytes.count && at < 16) else { throw .corrupt("файл обрывается") }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
            at += 4
            return v
        }

        mutating func bytes(_ n: Int) throws(ReadError) -> [UInt8] {
            guard n >= 0, at + n <= bytes.count - 8 else { throw .corrupt("файл обрывается") }
            defer { at += n }
            return Array(bytes[at..<(at + n)])
        }
    }
}
