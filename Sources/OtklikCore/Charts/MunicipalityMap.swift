import Foundation

/// The municipality drawn as SVG without a tile server: territory boundaries (shaded by a measure, each
/// labelled with its name and number and linked to its cases) and circles where cases with coordinates
/// cluster (the circle's size and the number in it say how many). Web Mercator, so that a deployment
/// with a tile server can lay its tiles underneath.
public enum MunicipalityMap {
    public struct Area: Sendable {
        public var name: String
        public var shape: GeoShape
        /// 0…1: how dark the territory is shaded.
        public var intensity: Double
        public var valueText: String
        public var href: String?
        public var tooltip: String
        public init(name: String, shape: GeoShape, intensity: Double, valueText: String, href: String? = nil, tooltip: String) {
            self.name = name; self.shape = shape; self.intensity = intensity; self.valueText = valueText; self.href = href; self.tooltip = tooltip
        }
    }

    public struct Cluster: Sendable, Equatable {
        public var point: GeoPoint
        public var count: Int
        public init(point: GeoPoint, count: Int) { self.point = point; self.count = count }
    }

    /// A tile server's URL with {z}, {x}, {y}, and the attribution its licence requires.
    public struct Tiles: Sendable {
        public var template: String
        public var attribution: String
        public init(template: String, attribution: String) { self.template = template; self.attribution = attribution }
    }

    /// Web Mercator: the world as a unit square, x east, y south.
    public static func project(_ p: GeoPoint) -> (x: Double, y: Double) {
        let lat = max(min(p.lat, 85.0511), -85.0511) * .pi / 180
        return ((p.lon + 180) / 360, (1 - log(tan(lat) + 1 / cos(lat)) / .pi) / 2)
    }

    /// Maps world coordinates into the picture, keeping proportions, with a margin.
    struct Frame {
        var minX: Double, minY: Double, scale: Double, offsetX: Double, offsetY: Double
        init(points: [GeoPoint], width: Int, height: Int, margin: Double = 24) {
            let xy = points.map(MunicipalityMap.project)
            let minX = xy.map(\.x).min() ?? 0, maxX = xy.map(\.x).max() ?? 1
            let minY = xy.map(\.y).min() ?? 0, maxY = xy.map(\.y).max() ?? 1
            // A single point (or a line of them) still gets a sensible zoom: about 2 km across.
            let spanX = max(maxX - minX, 5e-5), spanY = max(maxY - minY, 5e-5)
            let scale = min((Double(width) - 2 * margin) / spanX, (Double(height) - 2 * margin) / spanY)
            self.minX = minX - (spanX - (maxX - minX)) / 2
            self.minY = minY - (spanY - (maxY - minY)) / 2
            self.scale = scale
            offsetX = (Double(width) - spanX * scale) / 2
            offsetY = (Double(height) - spanY * scale) / 2
        }
        func pixel(_ p: GeoPoint) -> (x: Double, y: Double) {
            let w = MunicipalityMap.project(p)
            return (offsetX + (w.x - minX) * scale, offsetY + (w.y - minY) * scale)
        }
        func pixel(worldX: Double, worldY: Double) -> (x: Double, y: Double) {
            (offsetX + (worldX - minX) * scale, offsetY + (worldY - minY) * scale)
        }
    }

    public static func svg(title: String, legend: String, areas: [Area], clusters: [Cluster], tiles: Tiles? = nil,
                           width: Int = 860, height: Int = 620) -> String {
        let top = 44
        let mapHeight = height - top - 22
        var svg = SVGChart.header(title: title, description: legend, width: width, height: height)
        svg += #"<text x="4" y="34" class="legend">\#(XMLText.escape(legend))</text>"#
        let all = areas.flatMap(\.shape.points) + clusters.map(\.point)
        guard !all.isEmpty else {
            svg += #"<text x="\#(width / 2)" y="\#(top + 60)" text-anchor="middle" class="empty">нет границ территорий и обращений с координатами: границы загружает администратор (GeoJSON)</text>"#
            return svg + "</svg>"
        }
        var frame = Frame(points: all, width: width, height: mapHeight)
        frame.offsetY += Double(top)
        svg += #"<rect x="0" y="\#(top)" width="\#(width)" height="\#(mapHeight)" class="map-sea"/>"#
        if let tiles { svg += tileImages(tiles, frame: frame, width: width, top: top, height: mapHeight) }

        for area in areas {
            // At most 70 % dark: the labels and circles stay legible on the darkest territory.
            let level = 0.7 * max(0, min(1, area.intensity))
            let fill = "rgb(\(Int(235 - 200 * level)),\(Int(242 - 170 * level)),\(Int(250 - 110 * level)))"
            let d = area.shape.polygons.map { rings in
                rings.map { ring in
                    "M" + ring.map { let p = frame.pixel($0); return "\(SVGChart.fmt(p.x)) \(SVGChart.fmt(p.y))" }.joined(separator: "L") + "Z"
                }.joined()
            }.joined()
            var piece = #"<path d="\#(d)" fill="\#(fill)" fill-rule="evenodd" class="area\#(tiles == nil ? "" : " over-tiles")"><title>\#(XMLText.escape(area.tooltip))</title></path>"#
            if let href = area.href { piece = #"<a href="\#(XMLText.escape(href))">\#(piece)</a>"# }
            svg += piece
        }
        // Circles merge on a pixel grid, so neighbours never pile up however fine the data's own grid is.
        let merged = mergeOnPixels(clusters, frame: frame, cell: 26)
        let maxCount = Double(merged.map(\.count).max() ?? 1)
        for c in merged.sorted(by: { $0.count > $1.count }) {
            let r = 3 + 10 * (Double(c.count) / maxCount).squareRoot()
            svg += #"<circle cx="\#(SVGChart.fmt(c.x))" cy="\#(SVGChart.fmt(c.y))" r="\#(SVGChart.fmt(r))" class="cluster"><title>\#(RussianPlural.count(c.count, one: "обращение", few: "обращения", many: "обращений"))</title></circle>"#
            if r >= 9 {
                svg += #"<text x="\#(SVGChart.fmt(c.x))" y="\#(SVGChart.fmt(c.y + 3.5))" text-anchor="middle" class="cluster-count">\#(c.count)</text>"#
            }
        }
        // Labels last: a circle or a neighbour's shading never covers a name.
        for area in areas {
            guard let c = labelPoint(area.shape) else { continue }
            let p = frame.pixel(c)
            svg += #"<text x="\#(SVGChart.fmt(p.x))" y="\#(SVGChart.fmt(p.y - 2))" text-anchor="middle" class="map-label">\#(XMLText.escape(SVGChart.clip(area.name, 24)))</text>"#
            svg += #"<text x="\#(SVGChart.fmt(p.x))" y="\#(SVGChart.fmt(p.y + 13))" text-anchor="middle" class="map-label map-value">\#(XMLText.escape(area.valueText))</text>"#
        }
        svg += scaleBar(frame: frame, width: width, y: height - 6)
        if let tiles {
            svg += #"<text x="\#(width - 4)" y="\#(height - 6)" text-anchor="end" class="legend">\#(XMLText.escape(tiles.attribution))</text>"#
        }
        return svg + "</svg>"
    }

    /// Clusters gathered into square pixel cells, each at the count-weighted mean of its members.
    static func mergeOnPixels(_ clusters: [Cluster], frame: Frame, cell: Double) -> [(x: Double, y: Double, count: Int)] {
        var cells: [Int: (sx: Double, sy: Double, n: Int)] = [:]
        for c in clusters where c.count > 0 {
            let p = frame.pixel(c.point)
            let key = Int((p.x / cell).rounded(.down)) * 100_000 + Int((p.y / cell).rounded(.down))
            let w = Double(c.count)
            let old = cells[key] ?? (0, 0, 0)
            cells[key] = (old.sx + p.x * w, old.sy + p.y * w, old.n + c.count)
        }
        return cells.keys.sorted().map { k in let v = cells[k]!; return (v.sx / Double(v.n), v.sy / Double(v.n), v.n) }
    }

    /// The centroid of the largest outer ring (by projected area): where the territory's label goes.
    static func labelPoint(_ shape: GeoShape) -> GeoPoint? {
        var best: (area: Double, point: GeoPoint)?
        for polygon in shape.polygons {
            guard let ring = polygon.first, ring.count >= 4 else { continue }
            var a = 0.0, cx = 0.0, cy = 0.0
            for i in 0..<(ring.count - 1) {
                let p = ring[i], q = ring[i + 1]
                let cross = p.lon * q.lat - q.lon * p.lat
                a += cross; cx += (p.lon + q.lon) * cross; cy += (p.lat + q.lat) * cross
            }
            let point: GeoPoint
            if abs(a) < 1e-12 {
                point = GeoPoint(lon: ring.map(\.lon).reduce(0, +) / Double(ring.count), lat: ring.map(\.lat).reduce(0, +) / Double(ring.count))
            } else {
                point = GeoPoint(lon: cx / (3 * a), lat: cy / (3 * a))
            }
            if best == nil || abs(a) > best!.area { best = (abs(a), point) }
        }
        return best?.point
    }

    /// Tiles of the zoom whose pixels match the picture's, at most 64 of them.
    static func tileImages(_ tiles: Tiles, frame: Frame, width: Int, top: Int, height: Int) -> String {
        let zoom = max(0, min(18, Int(log2(frame.scale / 256).rounded(.down))))
        let n = Double(1 << zoom)
        let tile = frame.scale / n
        func world(_ px: Double, _ py: Double) -> (Double, Double) { ((px - frame.offsetX) / frame.scale + frame.minX, (py - frame.offsetY) / frame.scale + frame.minY) }
        let (x0, y0) = world(0, Double(top)), (x1, y1) = world(Double(width), Double(top + height))
        let tx0 = max(0, Int(x0 * n)), tx1 = min(Int(n) - 1, Int(x1 * n)), ty0 = max(0, Int(y0 * n)), ty1 = min(Int(n) - 1, Int(y1 * n))
        guard tx1 >= tx0, ty1 >= ty0, (tx1 - tx0 + 1) * (ty1 - ty0 + 1) <= 64 else { return "" }
        var out = ""
        for tx in tx0...tx1 {
            for ty in ty0...ty1 {
                let p = frame.pixel(worldX: Double(tx) / n, worldY: Double(ty) / n)
                let url = tiles.template.replacingOccurrences(of: "{z}", with: String(zoom))
                    .replacingOccurrences(of: "{x}", with: String(tx)).replacingOccurrences(of: "{y}", with: String(ty))
                out += #"<image href="\#(XMLText.escape(url))" x="\#(SVGChart.fmt(p.x))" y="\#(SVGChart.fmt(p.y))" width="\#(SVGChart.fmt(tile + 0.5))" height="\#(SVGChart.fmt(tile + 0.5))" class="tile"/>"#
            }
        }
        return out
    }

    /// A scale bar of a round length (100 m … 50 km) about a sixth of the picture wide.
    static func scaleBar(frame: Frame, width: Int, y: Int) -> String {
        // Metres per pixel at the picture's middle latitude.
        let midY = (Double(y) - frame.offsetY) / frame.scale + frame.minY
        let lat = atan(sinh(.pi * (1 - 2 * midY)))
        let metresPerPixel = 40_075_016.686 * cos(lat) / frame.scale
        let target = Double(width) / 6 * metresPerPixel
        let lengths: [Double] = [100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000]
        let metres = lengths.last { $0 <= target } ?? lengths[0]
        let px = metres / metresPerPixel
        let label = metres >= 1_000 ? "\(Int(metres / 1_000)) км" : "\(Int(metres)) м"
        return #"<line x1="8" y1="\#(y - 4)" x2="\#(SVGChart.fmt(8 + px))" y2="\#(y - 4)" class="scale"/><text x="\#(SVGChart.fmt(12 + px))" y="\#(y)" class="legend">\#(label)</text>"#
    }
}
