/// What the administrator picked for one column of a sample file in the profile editor: load it into
/// a field, keep it as the source's own data, or leave it out. Picking is how a generic profile is
/// built, and how a shipped one is adjusted to an export whose headers drifted.
public enum ColumnPick: Sendable, Equatable {
    case field(ImportField)
    case keep
    case skip

    /// The form value of the pick: a field's raw value, «keep», or empty.
    public init(formValue: String) {
        if formValue == "keep" { self = .keep } else if let f = ImportField(rawValue: formValue) { self = .field(f) } else { self = .skip }
    }

    public var formValue: String {
        switch self {
        case .field(let f): f.rawValue
        case .keep: "keep"
        case .skip: ""
        }
    }
}

extension ImportProfile {
    /// What the profile does with a header now (for preselecting the editor's choice).
    public func pick(for header: String) -> ColumnPick {
        let h = HeaderLayout.normalize(header)
        for field in ImportField.allCases where headers(for: field).contains(where: { HeaderLayout.normalize($0) == h }) {
            return .field(field)
        }
        return keep.contains { HeaderLayout.normalize($0) == h } ? .keep : .skip
    }

    /// The profile with the picks applied: each changed header leaves whatever field or keep list held it,
    /// then goes first in its field's list (the sample's spelling wins) or into the keep list.
    public func applying(_ picks: [(header: String, pick: ColumnPick)]) -> ImportProfile {
        var copy = self
        for (header, pick) in picks {
            let name = header.trimmed
            let h = HeaderLayout.normalize(name)
            // An unchanged pick leaves the header where it is (ПОС both maps and keeps «Статус»).
            guard !h.isEmpty, pick != copy.pick(for: name) else { continue }
            for key in copy.columns.keys {
                copy.columns[key]?.removeAll { HeaderLayout.normalize($0) == h }
                if copy.columns[key]?.isEmpty == true { copy.columns[key] = nil }
            }
            copy.keep.removeAll { HeaderLayout.normalize($0) == h }
            switch pick {
            case .field(let f): copy.columns[f.rawValue, default: []].insert(name, at: 0)
            case .keep: copy.keep.append(name)
            case .skip: break
            }
        }
        return copy
    }
}
