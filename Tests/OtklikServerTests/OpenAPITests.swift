import Foundation
@testable import OtklikServer
import Testing
import Vapor

@Suite("Контракт OpenAPI")
struct OpenAPITests {
    /// Every API route is in the document and every documented operation exists: one source of truth.
    @Test("Маршруты /api/v1 и документ OpenAPI совпадают")
    func routesMatchDocument() async throws {
        try await withOtklik(.sqlite) { app in
            let spec = try JSONSerialization.jsonObject(with: try OpenAPIDocument.load()) as! [String: Any]
            let paths = spec["paths"] as! [String: [String: Any]]
            var documented = Set<String>()
            for (path, item) in paths {
                for method in item.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                }
            }
            var served = Set<String>()
            for route in app.routes.all {
                let parts = route.path.map { component -> String in
                    switch component {
                    case .constant(let c): c
                    case .parameter(let p): "{\(p)}"
                    default: "*"
                    }
                }
                let path = "/" + parts.joined(separator: "/")
                guard path.hasPrefix("/api/") || path == "/openapi.json" || path == "/health" else { continue }
                served.insert("\(route.method.rawValue) \(path)")
            }
            #expect(served.subtracting(documented).sorted() == [], "не описаны в OpenAPI")
            #expect(documented.subtracting(served).sorted() == [], "описаны, но не реализованы")

            let res = try await app.call(.GET, "/openapi.json")
            #expect(res.status == .ok)
            #expect(res.json["openapi"]?.string == "3.1.0")
        }
    }
}
