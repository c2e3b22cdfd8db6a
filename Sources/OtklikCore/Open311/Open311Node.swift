/// A GeoReport v2 response as a tree, written the same way as JSON or as XML: the standard defines both
/// formats from one element list, so each resource is built once and rendered twice.
public indirect enum Open311Node: Sendable, Equatable {
    case text(String?)
    case number(Double?)
    case bool(Bool)
    /// Ordered fields (the XML element order of the specification).
    case object([Field])
    /// Repeated elements: in XML each item is an `<item>` element, in JSON an array.
    case list(item: String, [Open311Node])

    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: Open311Node
        public init(_ name: String, _ value: Open311Node) { self.name = name; self.value = value }
    }

    // MARK: JSON

    public func json() -> String {
        var out = ""
        writeJSON(into: &out)
        return out
    }

    private func writeJSON(into out: inout String) {
        switch self {
        case .text(let s): if let s { JSONValue.writeString(s, into: &out) } else { out += "null" }
        case .number(let n):
            if let n, n.isFinite { out += n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n) } else { out += "null" }
        case .bool(let b): out += b ? "true" : "false"
        case .object(let fields):
            out += "{"
            for (i, f) in fields.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(f.name, into: &out)
                out += ":"
                f.value.writeJSON(into: &out)
            }
            out += "}"
        case .list(_, let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        }
    }

    // MARK: XML

    /// The document with `root` as its element: `<services><service>…</service></services>`.
    public func xml(root: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        writeXML(name: root, into: &out)
        return out
    }

    private func writeXML(name: String, into out: inout String) {
        switch self {
        case .text(let s):
            if let s, !s.isEmpty { out += "<\(name)>" + XMLText.escape(s) + "</\(name)>" } else { out += "<\(name)/>" }
        case .number(let n):
            if let n, n.isFinite {
                out += "<\(name)>" + (n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)) + "</\(name)>"
            } else { out += "<\(name)/>" }
        case .bool(let b): out += "<\(name)>\(b)</\(name)>"
        case .object(let fields):
            out += "<\(name)>"
            // A list field is a wrapper element with its items inside (`<values><value>…`).
            for f in fields { f.value.writeXML(name: f.name, into: &out) }
            out += "</\(name)>"
        case .list(let item, let items):
            out += "<\(name)>"
            for i in items { i.writeXML(name: item, into: &out) }
            out += "</\(name)>"
        }
    }
}
