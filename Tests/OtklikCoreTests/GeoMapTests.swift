import Foundation
@testable import OtklikCore
import Testing

@Suite("Границы GeoJSON и карта округа в SVG")
struct GeoMapTests {
    static let square = #"{"type":"Polygon","coordinates":[[[92.90,56.10],[92.95,56.10],[92.95,56.13],[92.90,56.13],[92.90,56.10]]]}"#

    @Test("многоугольник, Feature и незамкнутое кольцо читаются; хранится как MultiPolygon")
    func reads() throws {
        let shape = try GeoJSONReader.shape(Self.square)
        #expect(shape.polygons.count == 1 && shape.polygons[0][0].count == 5)
        let open = try GeoJSONReader.shape(#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}"#)
        #expect(open.polygons[0][0].count == 4 && open.polygons[0][0].last == GeoPoint(lon: 0, lat: 0), "кольцо замкнуто")
        #expect(shape.geoJSON.hasPrefix(#"{"type":"MultiPolygon","coordinates":[[[[92.900000,56.100000],"#))
        #expect(try GeoJSONReader.shape(shape.geoJSON) == shape, "сохранённая форма читается обратно той же")
    }

    @Test("коллекция: свойства объектов как текст, числа — без «.0»")
    func collection() throws {
        let text = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Центр","code":7},"geometry":\#(Self.square)}]}"#
        let features = try GeoJSONReader.features(text)
        #expect(features.count == 1 && features[0].properties == ["name": "Центр", "code": "7"])
    }

    @Test("ошибки названы по-русски с местом", arguments: [
        ("не json", "файл не является GeoJSON"),
        (#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#, "граница должна быть Polygon или MultiPolygon, а не LineString"),
        (#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[0,0]]]}"#, "кольцо №1: нужно не меньше трёх разных точек"),
        (#"{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}"#, "кольцо №1, точка №2: координаты вне допустимых пределов"),
        (#"{"type":"Polygon","coordinates":[[[0,0],["a",0],[1,1],[0,0]]]}"#, "точка №2: ожидалась пара чисел"),
        (#"{"type":"Polygon"}"#, "нет координат"),
    ])
    func failures(text: String, expected: String) {
        #expect { try GeoJSONReader.shape(text) } throws: { ($0 as? GeoJSONReader.Failure)?.russian.contains(expected) == true }
    }

    @Test("пустая коллекция и чужой тип файла отвергнуты")
    func emptyCollection() {
        #expect { try GeoJSONReader.features(#"{"type":"FeatureCollection","features":[]}"#) } throws: {
            ($0 as? GeoJSONReader.Failure)?.russian == "в файле нет ни одной границы"
        }
        #expect { try GeoJSONReader.features(#"{"type":"Topology"}"#) } throws: {
            ($0 as? GeoJSONReader.Failure)?.russian.contains("ожидался FeatureCollection") == true
        }
    }

    @Test("проекция Меркатора: нулевой меридиан и экватор — середина мира, север выше")
    func projection() {
        let centre = MunicipalityMap.project(GeoPoint(lon: 0, lat: 0))
        #expect(abs(centre.x - 0.5) < 1e-12 && abs(centre.y - 0.5) < 1e-12)
        #expect(MunicipalityMap.project(GeoPoint(lon: 92.9, lat: 56.1)).y < MunicipalityMap.project(GeoPoint(lon: 92.9, lat: 56.0)).y)
    }

    @Test("карта: территория со ссылкой, подписью и числом; кружки сливаются, число в кружке; экранирование")
    func map() throws {
        let area = MunicipalityMap.Area(name: "Центр <1>", shape: try GeoJSONReader.shape(Self.square), intensity: 1, valueText: "12",
                                        href: "/m/a/cases?territory=x&from=1", tooltip: "Центр: 12 обращений")
        let clusters = [MunicipalityMap.Cluster(point: GeoPoint(lon: 92.92, lat: 56.11), count: 30),
                        MunicipalityMap.Cluster(point: GeoPoint(lon: 92.9201, lat: 56.1101), count: 10),
                        MunicipalityMap.Cluster(point: GeoPoint(lon: 92.945, lat: 56.125), count: 2)]
        let svg = MunicipalityMap.svg(title: "Карта", legend: "легенда", areas: [area], clusters: clusters)
        #expect(svg.contains(#"<a href="/m/a/cases?territory=x&amp;from=1"><path d="M"#))
        #expect(svg.contains(">Центр &lt;1&gt;</text>") && svg.contains(#"class="map-label map-value">12</text>"#))
        #expect(svg.contains(#"class="cluster-count">40</text>"#), "два соседних кружка слились: 30 + 10")
        #expect(svg.components(separatedBy: "<circle").count == 3, "две точки на карте: 40 и 2")
        #expect(svg.contains("<title>2 обращения</title>"))
        #expect(svg.contains(" км</text>") || svg.contains(" м</text>"), "масштабная линейка")
        #expect(!svg.contains("<image"), "без сервера подложки — только свои слои")
        #expect(MunicipalityMap.svg(title: "Карта", legend: "", areas: [], clusters: []).contains("границы загружает администратор"))
    }

    @Test("подложка: плитки нужного масштаба по шаблону адреса и подпись правообладателя")
    func tiles() throws {
        let area = MunicipalityMap.Area(name: "Центр", shape: try GeoJSONReader.shape(Self.square), intensity: 0.5, valueText: "1", tooltip: "")
        let svg = MunicipalityMap.svg(title: "Карта", legend: "", areas: [area], clusters: [],
                                      tiles: .init(template: "https://tiles.example/{z}/{x}/{y}.png", attribution: "© участники OpenStreetMap"))
        #expect(svg.contains(#"<image href="https://tiles.example/13/"#) || svg.contains(#"<image href="https://tiles.example/12/"#), "\(svg.prefix(1500))")
        #expect(svg.contains("© участники OpenStreetMap") && svg.contains("over-tiles"))
    }
}
