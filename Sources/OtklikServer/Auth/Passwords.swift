import Foundation

/// One-time passwords that people can read aloud and type: no look-alike characters.
enum Passwords {
    private static let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func generate(length: Int = 14) -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }

    /// Minimal policy; the issue on sign-in pages may tighten it.
    static func policyIssue(_ password: String) -> String? {
        password.count >= 10 ? nil : "пароль должен быть не короче 10 символов"
    }
}
