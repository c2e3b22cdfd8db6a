import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import OtklikCore

/// The Bot API over HTTPS, in its real URL shape: `{base}/bot{token}/{method}` with a JSON body. The
/// token is part of the URL, so errors never carry the URL: only the method and Telegram's description.
struct TelegramBotClient: Sendable {
    let http: HTTPClient
    let base: String
    let token: String

    static let defaultBase = "https://api.telegram.org"

    struct Failure: Error, Sendable { var russian: String }

    /// The bot's id: the part of the token before the colon (it names the bot in case numbers).
    var botID: String { String(token.split(separator: ":").first ?? "") }

    func call(_ method: String, _ body: [String: JSONValue]) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: "\(base)/bot\(token)/\(method)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: JSONValue.object(body).jsonText))
        let response: HTTPClientResponse
        do { response = try await http.execute(request, timeout: .seconds(30)) } catch {
            throw Failure(russian: "Bot API недоступен (\(method)): \(type(of: error))")
        }
        let bytes = Array((try await response.body.collect(upTo: 16 * 1024 * 1024)).readableBytesView)
        guard response.status == .ok else {
            let description: String
            if case .object(let o)? = try? JSONParser.parse(bytes), case .string(let d)? = o["description"] { description = d }
            else { description = "HTTP \(response.status.code)" }
            throw Failure(russian: "Bot API отказал (\(method)): \(description)")
        }
        return bytes
    }

    func getUpdates(offset: Int?) async throws -> [TelegramIntake.Update] {
        var body: [String: JSONValue] = ["timeout": .number(0), "allowed_updates": .array([.string("message")])]
        if let offset { body["offset"] = .number(Double(offset)) }
        let bytes = try await call("getUpdates", body)
        do { return try TelegramIntake.read(bytes, botID: botID) } catch { throw Failure(russian: error.reason) }
    }

    func sendMessage(chatID: Int64, text: String) async throws {
        _ = try await call("sendMessage", ["chat_id": .number(Double(chatID)), "text": .string(text)])
    }
}
