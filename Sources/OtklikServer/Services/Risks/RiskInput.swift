import Fluent
import Foundation
import OtklikCore

/// Reads the payloads of the risk register (API bodies and the web forms that become them), with a
/// Russian reason per field. Nothing is written until every field is read.
enum RiskInput {
    struct Source {
        var url: String
        var platform: Platform
        var community: String?
        var author: String?
        var reach: Int?
        var publishedAt: Date?
    }

    /// Sources as `sources: [{url, platform, community, author, reach, published_at}]`.
    static func sources(_ reader: inout PayloadReader, key: String = "sources", required: Bool) -> [Source] {
        guard case .array(let items)? = reader.object[key] else {
            if reader.has(key), reader.object[key] != .null { reader.issues.append(FieldIssue(key, "ожидался список публикаций")) }
            else if required { reader.issues.append(FieldIssue(key, "укажите ссылку хотя бы на одну публикацию, где замечен риск (пост, сообщение в чате, статья)")) }
            return []
        }
        if required && items.isEmpty {
            reader.issues.append(FieldIssue(key, "укажите ссылку хотя бы на одну публикацию, где замечен риск (пост, сообщение в чате, статья)"))
        }
        if items.count > 50 { reader.issues.append(FieldIssue(key, "не более 50 публикаций за раз")); return [] }
        var out: [Source] = []
        for (i, item) in items.enumerated() {
            guard case .object(let o) = item else { reader.issues.append(FieldIssue("\(key)[\(i)]", "ожидался объект со ссылкой")); continue }
            var sub = PayloadReader(o)
            let url = sub.string("url", max: WebLink.maxLength) ?? ""
            var link: WebLink?
            switch WebLink.parse(url) {
            case .success(let l): link = l
            case .failure(let why): sub.issues.append(FieldIssue("url", why.text))
            }
            let platform = sub.oneOf("platform", Platform.self)
            let community = sub.string("community", max: 200)
            let author = sub.string("author", max: 200)
            let reach = sub.int("reach", range: 0...1_000_000_000, message: "охват — целое число не меньше нуля")
            let published = sub.date("published_at")
            reader.issues += sub.issues.map { FieldIssue("\(key)[\(i)].\($0.field)", $0.reason) }
            if let link {
                out.append(Source(url: link.text, platform: platform ?? link.platform ?? .other, community: community, author: author,
                                  reach: reach, publishedAt: published))
            }
        }
        return out
    }

    /// Placements of the response: `placements: [{url, place, platform}]` or `links: ["url place", …]`.
    static func placements(_ reader: inout PayloadReader) -> [(url: String, place: String, platform: Platform)] {
        var raw: [(String, String?, Platform?, String)] = []
        if case .array(let items)? = reader.object["placements"] {
            for (i, item) in items.enumerated() {
                guard case .object(let o) = item else { reader.issues.append(FieldIssue("placements[\(i)]", "ожидался объект со ссылкой")); continue }
                var sub = PayloadReader(o)
                let url = sub.string("url", max: WebLink.maxLength) ?? ""
                let place = sub.string("place", max: 300)
                let platform = sub.oneOf("platform", Platform.self)
                reader.issues += sub.issues.map { FieldIssue("placements[\(i)].\($0.field)", $0.reason) }
                raw.append((url, place, platform, "placements[\(i)].url"))
            }
        }
        for line in reader.strings("links", maxCount: 50, maxLength: 2_300) {
            let parts = line.split(separator: " ", maxSplits: 1)
            raw.append((String(parts[0]), parts.count > 1 ? String(parts[1]).trimmed : nil, nil, "links"))
        }
        if raw.isEmpty {
            reader.issues.append(FieldIssue("placements", "укажите ссылки на публикации отработки (СМИ, официальная страница органа или персоны)"))
        }
        var out: [(String, String, Platform)] = []
        for (url, place, platform, field) in raw {
            switch WebLink.parse(url) {
            case .success(let link):
                let p = platform ?? link.platform ?? .website
                out.append((link.text, place ?? (p == .website ? link.host : p.title), p))
            case .failure(let why): reader.issues.append(FieldIssue(field, why.text))
            }
        }
        return out
    }

    /// Platforms of the response: a list or a text with one per line.
    static func lines(_ reader: inout PayloadReader, _ key: String, maxCount: Int = 20, maxLength: Int = 300) -> [String] {
        if case .string(let s)? = reader.object[key] {
            let items = s.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
            if items.count > maxCount || items.contains(where: { $0.count > maxLength }) {
                reader.issues.append(FieldIssue(key, "не более \(maxCount) строк длиной до \(maxLength) символов"))
                return []
            }
            return items
        }
        return reader.strings(key, maxCount: maxCount, maxLength: maxLength)
    }
}

extension CampaignRecord: TenantOwned { static var tenantField: KeyPath<CampaignRecord, FieldProperty<CampaignRecord, UUID>> { \.$tenantID } }
extension PublicPageRecord: TenantOwned { static var tenantField: KeyPath<PublicPageRecord, FieldProperty<PublicPageRecord, UUID>> { \.$tenantID } }
extension RiskRecord: TenantOwned { static var tenantField: KeyPath<RiskRecord, FieldProperty<RiskRecord, UUID>> { \.$tenantID } }
