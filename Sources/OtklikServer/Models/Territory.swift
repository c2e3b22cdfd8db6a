import Fluent
import Foundation

/// A settlement, district or micro-district of the municipality, with optional coordinates and boundary.
final class Territory: Model, @unchecked Sendable {
    static let schema = "territories"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "code") var code: String?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    /// GeoJSON geometry (Polygon or MultiPolygon) as text; drawn by the map later.
    @OptionalField(key: "boundary_geojson") var boundaryGeoJSON: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) var deletedAt: Date?

    init() {}
    init(id: UUID? = nil, tenantID: UUID, parentID: UUID? = nil, name: String, code: String? = nil,
         kind: TerritoryKind, latitude: Double? = nil, longitude: Double? = nil) {
        self.id = id; self.tenantID = tenantID; self.parentID = parentID; self.name = name; self.code = code
        self.kind = kind.rawValue; self.latitude = latitude; self.longitude = longitude
    }
}

enum TerritoryKind: String, CaseIterable, Codable, Sendable {
    case settlement, district, microdistrict, other

    var title: String {
        switch self {
        case .settlement: "Населённый пункт"
        case .district: "Район"
        case .microdistrict: "Микрорайон"
        case .other: "Другое"
        }
    }
}
