import Foundation

/// A validator for the subset of JSON Schema (2020-12) that `extraction.schema.json` uses:
/// `type` (one or a list), `enum`, `required`, `properties`, `items`, `minimum`, `maximum`,
/// `minLength`, `maxLength`, `pattern`, `format: date`, and local `$ref`s to `#/$defs/…`.
struct SchemaValidator {
    let root: [String: Any]

    init(schemaAt url: URL) throws {
        let data = try Data(contentsOf: url)
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NSError(domain: "schema", code: 1, userInfo: [NSLocalizedDescriptionKey: "the schema is not an object"])
        }
        self.root = root
    }

    /// Every way `instance` breaks the schema, as "path: problem".
    func validate(_ instance: Any) -> [String] {
        var problems: [String] = []
        check(instance, against: root, path: "$", problems: &problems)
        return problems
    }

    private func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String, ref.hasPrefix("#/") else { return schema }
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            node = (node as? [String: Any])?[String(part)] ?? [:]
        }
        return node as? [String: Any] ?? [:]
    }

    private func typeName(_ value: Any) -> String {
        if value is NSNull { return "null" }
        if let number = value as? NSNumber {
            if String(cString: number.objCType) == "c" { return "boolean" }
            return number.doubleValue == number.doubleValue.rounded() ? "integer" : "number"
        }
        if value is String { return "string" }
        if value is [Any] { return "array" }
        if value is [String: Any] { return "object" }
        return "unknown"
    }

    private func check(_ value: Any, against rawSchema: [String: Any], path: String, problems: inout [String]) {
        let schema = resolve(rawSchema)
        let actual = typeName(value)
        if let type = schema["type"] {
            let allowed = (type as? [String]) ?? [(type as? String) ?? ""]
            let matches = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !matches {
                problems.append("\(path): is \(actual), expected \(allowed.joined(separator: " or "))")
                return
            }
        }
        if let options = schema["enum"] as? [Any] {
            let text = value as? String
            if !options.contains(where: { ($0 as? String) == text && text != nil }) {
                problems.append("\(path): \(value) is not one of \(options)")
            }
        }
        switch value {
        case let object as [String: Any]:
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            for (key, sub) in schema["properties"] as? [String: Any] ?? [:] {
                if let child = object[key], let sub = sub as? [String: Any] {
                    check(child, against: sub, path: "\(path).\(key)", problems: &problems)
                }
            }
        case let array as [Any]:
            if let items = schema["items"] as? [String: Any] {
                for (index, element) in array.enumerated() {
                    check(element, against: items, path: "\(path)[\(index)]", problems: &problems)
                }
            }
        case let string as String:
            if let minimum = schema["minLength"] as? Int, string.count < minimum { problems.append("\(path): shorter than \(minimum)") }
            if let maximum = schema["maxLength"] as? Int, string.count > maximum { problems.append("\(path): longer than \(maximum)") }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \"\(string)\" does not match \(pattern)")
            }
            if schema["format"] as? String == "date", string.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) == nil {
                problems.append("\(path): \"\(string)\" is not a date YYYY-MM-DD")
            }
        case let number as NSNumber where actual != "boolean":
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { problems.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { problems.append("\(path): above \(maximum)") }
        default:
            break
        }
    }
}
