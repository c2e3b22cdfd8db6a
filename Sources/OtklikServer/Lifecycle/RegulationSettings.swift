import Foundation
import OtklikCore

/// Converts stored regulation settings to the core's `RegulationBook` and back.
enum RegulationSettings {
    static let clockFields = ["take_in_work", "first_response", "forward", "final_answer", "assignment_limit", "feedback_window"]

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
            p.takeInWork = try ClockSetting(stored: row.takeInWork)
            p.firstResponse = try ClockSetting(stored: row.firstResponse)
            p.forward = try ClockSetting(stored: row.forward)
            p.finalAnswer = try ClockSetting(stored: row.finalAnswer)
            p.assignmentLimit = try ClockSetting(stored: row.assignmentLimit)
            p.feedbackWindow = try ClockSetting(stored: row.feedbackWindow)
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
        for field in clockFields where object.keys.contains(field) {
            var stored: String?
            switch object[field]! {
            case .null: stored = nil
            case .string(let s):
                do { stored = try ClockSetting(stored: s).stored }
                catch { issues.append(FieldIssue(field, error.description)); continue }
            default: issues.append(FieldIssue(field, "ожидалась строка срока, «off» или null")); continue
            }
            switch field {
            case "take_in_work": row.takeInWork = stored
            case "first_response": row.firstResponse = stored
            case "forward": row.forward = stored
            case "final_answer": row.finalAnswer = stored
            case "assignment_limit": row.assignmentLimit = stored
            default: row.feedbackWindow = stored
            }
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
