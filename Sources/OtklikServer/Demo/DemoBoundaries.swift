import Foundation
import OtklikCore

/// Fictional boundaries for the demo territories: the Voronoi cells of their centres within a frame
/// around them (each territory is the land closer to its centre than to any other). Plausible on a map
/// and clearly not a real municipality's borders.
enum DemoBoundaries {
    typealias Point = (x: Double, y: Double)

    static func cells(_ centres: [GeoPoint], margin: Double = 0.03) -> [GeoShape] {
        guard let first = centres.first else { return [] }
        // Plane coordinates where a step east is as long as a step north.
        let k = cos(first.lat * .pi / 180)
        let points = centres.map { Point($0.lon * k, $0.lat) }
        let minX = points.map(\.x).min()! - margin * k, maxX = points.map(\.x).max()! + margin * k
        let minY = points.map(\.y).min()! - margin, maxY = points.map(\.y).max()! + margin
        return points.enumerated().map { i, p in
            var cell: [Point] = [(minX, minY), (maxX, minY), (maxX, maxY), (minX, maxY)]
            for (j, q) in points.enumerated() where j != i {
                // Keep the half-plane nearer to p than to q: (x − m)·(q − p) ≤ 0, m the midpoint.
                let m = Point((p.x + q.x) / 2, (p.y + q.y) / 2), d = Point(q.x - p.x, q.y - p.y)
                cell = clip(cell) { ($0.x - m.x) * d.x + ($0.y - m.y) * d.y }
            }
            let ring = (cell + [cell[0]]).map { GeoPoint(lon: $0.x / k, lat: $0.y) }
            return GeoShape(polygons: [[ring]])
        }
    }

    /// Sutherland–Hodgman against one line: keeps the part where `side` ≤ 0.
    static func clip(_ polygon: [Point], side: (Point) -> Double) -> [Point] {
        var out: [Point] = []
        for i in polygon.indices {
            let a = polygon[i], b = polygon[(i + 1) % polygon.count]
            let sa = side(a), sb = side(b)
            if sa <= 0 { out.append(a) }
            if (sa < 0 && sb > 0) || (sa > 0 && sb < 0) {
                let t = sa / (sa - sb)
                out.append((a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
            }
        }
        return out
    }
}
