import Foundation
import NIOSSL
import OtklikCore

/// The relay of an `smtp` connector: where letters go and who they come from. The password is the
/// connector's secret.
struct SMTPSettings: Sendable {
    enum Security: String, Sendable, CaseIterable {
        /// Plain connection: a relay inside the administration's network on port 25.
        case none
        /// Plain, then upgraded with STARTTLS (port 587).
        case starttls
        /// TLS from the first byte (port 465).
        case tls

        var title: String {
            switch self {
            case .none: "без шифрования (внутренний релей)"
            case .starttls: "STARTTLS"
            case .tls: "SSL/TLS"
            }
        }
    }

    var host: String
    var port: Int
    var security: Security
    /// Off only for an internal relay with a self-signed certificate, at the administrator's choice.
    var verifyCertificate: Bool
    var from: MailAddress
    var fromName: String
    var username: String?
    var password: String?
    var heloName: String

    init?(_ connector: Connector) {
        let config = Connectors.config(connector)
        guard let host = config["host"], !host.isEmpty, let port = config["port"].flatMap(Int.init),
              let from = config["from"].flatMap(MailAddress.init) else { return nil }
        self.host = host
        self.port = port
        security = config["security"].flatMap(Security.init) ?? .starttls
        verifyCertificate = config["verify_tls"] != "no"
        self.from = from
        fromName = config["from_name"] ?? "Отклик"
        username = config["username"].flatMap { $0.isEmpty ? nil : $0 }
        password = connector.secret
        heloName = from.address.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    var tlsConfiguration: TLSConfiguration {
        var c = TLSConfiguration.makeClientConfiguration()
        if !verifyCertificate { c.certificateVerification = .none }
        return c
    }
}
