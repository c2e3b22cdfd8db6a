import Foundation
import OtklikCore

/// Converts stored regulation settings to the core's `RegulationBook` and back.
enum RegulationSettings {
    /// The six clock settings: API field, stored column, and the patch field they fill — one table for
    /// reading a payload, building a patch and listing what is stored.
    static var clocks: [(field: String, stored: ReferenceWritableKeyPath<RegulationSetting, String?>,
                         patch: WritableKeyPath<ProfilePatch, ClockSetting>)] {
        [("take_in_work", \.takeInWork, \.takeInWork), ("first_response", \.firstResponse, \.firstResponse),
         ("forward", \.forward, \.forward), ("final_answer", \.finalAnswer, \.finalAnswer),
         ("assignment_limit", \.assignmentLimit, \.assignmentLimit), ("feedback_window", \.feedbackWindow, \.feedbackWindow)]
    }
    static var clockFields: [String] { clocks.map(\.field) }
    /// Every field a settings payload may carry.
    static var settingFields: [String] { clockFields + ["silence_accepts", "max_extensions", "max_extension_days", "reminder_minutes"] }

    static func book(_ rows: [RegulationSetting]) throws -> RegulationBook {
        var book = RegulationBook()
        for row in rows {
            let patch = try patch(row)
            if row.scope == "channel", let raw = row.profileKey, let key = ProfileKey(rawValue: raw) {
                book.channelPatches[key] = patch
            } else if row.scope == "override" {
                book.overrides.append(.init(key: row.profileKey.flatMap(ProfileKey.init(rawValue:)),
                                            categoryID: row.categoryID?.uuidString, urgent: row.urgent, patch: patch))
            }
        }
        return book
    }

    static func patch(_ row: RegulationSetting) throws -> ProfilePatch {
        var p = ProfilePatch()
        do {
            for clock in clocks { p[keyPath: clock.patch] = try ClockSetting(stored: row[keyPath: clock.stored]) }
        } catch {
            throw Problem(.internalServerError, "Повреждена настройка регламента", detail: error.description)
        }
        p.silenceAccepts = row.silenceAccepts
        p.maxExtensions = row.maxExtensions
        p.maxExtensionDays = row.maxExtensionDays
        p.reminderMinutes = row.reminderMinutes
        return p
    }

    /// Reads a settings payload into `row`, collecting Russian field errors; absent fields stay as they are,
    /// null resets a field to «inherit».
    static func read(_ object: [String: JSONValue], into row: RegulationSetting, issues: inout [FieldIssue]) {
        for (field, column, _) in clocks {
            guard let value = object[field] else { continue }
            var stored: String?
            switch value {
            case .null: stored = nil
            case .string(let s):
                do { stored = try ClockSetting(stored: s).stored }
                catch { issues.append(FieldIssue(field, error.description)); continue }
            default: issues.append(FieldIssue(field, "ожидалась строка срока, «off» или null")); continue
            }
            row[keyPath: column] = stored
        }
        if let v = object["silence_accepts"] {
            switch v {
            case .null: row.silenceAccepts = nil
            case .bool(let b): row.silenceAccepts = b
            default: issues.append(FieldIssue("silence_accepts", "ожидалось true, false или null"))
            }
        }
        func int(_ key: String, _ range: ClosedRange<Int>, _ set: (Int?) -> Void) {
            guard let v = object[key] else { return }
            switch v {
            case .null: set(nil)
            case .number(let n) where n == n.rounded() && range.contains(Int(n)): set(Int(n))
            default: issues.append(FieldIssue(key, "ожидалось целое число от \(range.lowerBound) до \(range.upperBound)"))
            }
        }
        int("max_extensions", 0...10) { row.maxExtensions = $0 }
        int("max_extension_days", 1...365) { row.maxExtensionDays = $0 }
        int("reminder_minutes", 0...(9 * 60 * 5)) { row.reminderMinutes = $0 }
    }
}
