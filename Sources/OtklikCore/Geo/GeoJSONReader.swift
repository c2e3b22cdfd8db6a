import Foundation

/// A point in degrees (GeoJSON order: longitude first).
public struct GeoPoint: Sendable, Equatable {
    public var lon: Double
    public var lat: Double
    public init(lon: Double, lat: Double) { self.lon = lon; self.lat = lat }
}

/// Polygons of a territory: each polygon is its outer ring followed by its holes; rings are closed.
public struct GeoShape: Sendable, Equatable {
    public var polygons: [[[GeoPoint]]]
    public init(polygons: [[[GeoPoint]]]) { self.polygons = polygons }

    public var points: [GeoPoint] { polygons.flatMap { $0.flatMap { $0 } } }

    /// The shape as a GeoJSON MultiPolygon, the form it is stored in.
    public var geoJSON: String {
        func n(_ v: Double) -> String { String(format: "%.6f", v) }
        let polys = polygons.map { rings in
            "[" + rings.map { ring in "[" + ring.map { "[\(n($0.lon)),\(n($0.lat))]" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
        }
        return #"{"type":"MultiPolygon","coordinates":["# + polys.joined(separator: ",") + "]}"
    }
}

/// Reads territory boundaries from GeoJSON (RFC 7946) as administrators export them from QGIS or
/// geojson.io: a bare Polygon/MultiPolygon, a Feature, or a FeatureCollection whose features carry the
/// territory's name or code in their properties. Every fault is named in Russian with where it is.
public enum GeoJSONReader {
    public struct Feature: Sendable, Equatable {
        /// String and number properties, as text.
        public var properties: [String: String]
        public var shape: GeoShape
    }

    public struct Failure: Error, Equatable, Sendable {
        public var russian: String
        init(_ s: String) { russian = s }
    }

    /// More vertices than any municipal boundary needs; guards memory and the map's size.
    public static let maxPoints = 200_000

    /// One boundary: Polygon, MultiPolygon or a Feature with one of them.
    public static func shape(_ text: String) throws(Failure) -> GeoShape {
        let json = try parse(text)
        guard case .object(let o) = json else { throw Failure("граница должна быть объектом GeoJSON") }
        if o["type"] == .string("Feature") { return try geometry(o["geometry"], at: "feature") }
        return try geometry(json, at: "geometry")
    }

    /// Every feature of a FeatureCollection (or the one Feature given).
    public static func features(_ text: String) throws(Failure) -> [Feature] {
        let json = try parse(text)
        guard case .object(let o) = json else { throw Failure("файл должен содержать объект GeoJSON FeatureCollection") }
        let list: [JSONValue]
        switch o["type"] {
        case .string("FeatureCollection"):
            guard case .array(let a)? = o["features"] else { throw Failure("в FeatureCollection нет массива features") }
            list = a
        case .string("Feature"): list = [json]
        default: throw Failure("ожидался FeatureCollection с границами территорий (тип «\(o["type"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "не указан")»)")
        }
        var total = 0
        var out: [Feature] = []
        for (i, item) in list.enumerated() {
            guard case .object(let f) = item else { throw Failure("объект №\(i + 1): не Feature") }
            let shape = try geometry(f["geometry"], at: "объект №\(i + 1)")
            total += shape.points.count
            guard total <= maxPoints else { throw Failure("слишком много вершин (больше \(maxPoints)): упростите границы") }
            var props: [String: String] = [:]
            if case .object(let p)? = f["properties"] {
                for (k, v) in p {
                    switch v {
                    case .string(let s): props[k] = s
                    case .number(let d): props[k] = d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
                    default: break
                    }
                }
            }
            out.append(Feature(properties: props, shape: shape))
        }
        guard !out.isEmpty else { throw Failure("в файле нет ни одной границы") }
        return out
    }

    private static func parse(_ text: String) throws(Failure) -> JSONValue {
        do { return try JSONParser.parse(text) } catch { throw Failure("файл не является GeoJSON: " + error.russian) }
    }

    private static func geometry(_ value: JSONValue?, at place: String) throws(Failure) -> GeoShape {
        guard case .object(let g)? = value, case .string(let type)? = g["type"] else {
            throw Failure("\(place): нет геометрии")
        }
        guard case .array(let coordinates)? = g["coordinates"] else { throw Failure("\(place): нет координат") }
        switch type {
        case "Polygon": return GeoShape(polygons: [try polygon(coordinates, at: place)])
        case "MultiPolygon":
            var polys: [[[GeoPoint]]] = []
            for (i, p) in coordinates.enumerated() {
                guard case .array(let rings) = p else { throw Failure("\(place), многоугольник №\(i + 1): ожидался массив колец") }
                polys.append(try polygon(rings, at: "\(place), многоугольник №\(i + 1)"))
            }
            guard !polys.isEmpty else { throw Failure("\(place): пустой MultiPolygon") }
            return GeoShape(polygons: polys)
        default:
            throw Failure("\(place): граница должна быть Polygon или MultiPolygon, а не \(type)")
        }
    }

    private static func polygon(_ rings: [JSONValue], at place: String) throws(Failure) -> [[GeoPoint]] {
        guard !rings.isEmpty else { throw Failure("\(place): у многоугольника нет колец") }
        var out: [[GeoPoint]] = []
        for (r, ring) in rings.enumerated() {
            guard case .array(let positions) = ring else { throw Failure("\(place), кольцо №\(r + 1): ожидался массив точек") }
            var points: [GeoPoint] = []
            for (i, pos) in positions.enumerated() {
                guard case .array(let xy) = pos, xy.count >= 2, case .number(let lon) = xy[0], case .number(let lat) = xy[1] else {
                    throw Failure("\(place), кольцо №\(r + 1), точка №\(i + 1): ожидалась пара чисел [долгота, широта]")
                }
                guard (-180...180).contains(lon), (-90...90).contains(lat) else {
                    throw Failure("\(place), кольцо №\(r + 1), точка №\(i + 1): координаты вне допустимых пределов (долгота ±180, широта ±90)")
                }
                points.append(GeoPoint(lon: lon, lat: lat))
            }
            // Unclosed rings are common in hand-made files: closed here rather than refused.
            if let first = points.first, points.last != first { points.append(first) }
            guard points.count >= 4 else { throw Failure("\(place), кольцо №\(r + 1): нужно не меньше трёх разных точек") }
            out.append(points)
        }
        return out
    }
}
