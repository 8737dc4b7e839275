import DominoModel
import Foundation
import Yams

/// A named policy set (`--policy FILE`): one policy applied to every entity of the roles it
/// names, whatever the spec. The shipped sets live in `replays/policies/`.
///
/// ```yaml
/// name: rehyp-cap-25
/// description: Platforms may lend or deploy at most 25% of customer assets.
/// appliesTo: [lender, exchange]   # roles; this is the default
/// policy:                         # the fields of a spec's `policy`, same syntax and defaults
///   rehypothecationCap: 0.25
/// ```
///
/// A set turns into ordinary `--set entities.NAME.policy.FIELD=VALUE` assignments, so it goes
/// through the same validation as the spec, shows in `spec.resolved`, and makes the run a
/// counterfactual against the spec as written. A tier's assets that a spec does not have are
/// dropped for that spec (a set is written for every episode); `--set` after `--policy` wins.
package struct PolicySet: Sendable, Equatable {
    package var name: String
    package var description: String
    package var appliesTo: [Role]
    /// Policy fields in file order, each as YAML text.
    package var fields: [(key: String, yaml: String)]
    /// Tiers, with asset symbols (filtered per spec).
    package var tiers: [(assets: [String], rehypothecationCap: String?, minCollateralRatio: String?)]
    package var file: String

    package static func == (a: PolicySet, b: PolicySet) -> Bool {
        a.name == b.name && a.file == b.file && a.fields.map(\.key) == b.fields.map(\.key) && a.fields.map(\.yaml) == b.fields.map(\.yaml)
    }

    package static func load(path: String) throws -> PolicySet {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(file: path, line: nil, "cannot read the policy set (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw SpecError(file: path, line: nil, "the policy set is not UTF-8 text") }
        let root = try SpecFile.compose(text, file: path)
        let r = try root.record(allowed: ["name", "description", "appliesTo", "policy"], required: ["name", "policy"])
        var roles: [Role] = [.lender, .exchange]
        if let list = r["appliesTo"] {
            roles = try list.sequence().map { node in
                let text = try node.string()
                guard let role = Role(rawValue: text) else {
                    let names = Role.allCases.map(\.rawValue)
                    let hint = Suggestion.didYouMean(text, in: names)
                    throw node.error("unknown role '\(text)'\(hint) (roles: \(names.joined(separator: ", ")))")
                }
                return role
            }
        }
        let policy = try r.require("policy")
        // Validate every field with the spec's own parser (types, ranges, unknown keys); tier
        // assets are checked against themselves, since the spec decides which exist.
        let tierAssets = try policy.record(allowed: Spec.policyKeys)["tiers"].map { t in
            try t.isNull ? [] : t.sequence().flatMap { try $0.record(allowed: ["assets", "rehypothecationCap", "minCollateralRatio"])
                .require("assets").sequence().map { try $0.string() } }
        } ?? []
        _ = try Spec.parsePolicy(policy, assets: Array(Set(tierAssets)).sorted())
        var fields: [(String, String)] = []
        var tiers: [([String], String?, String?)] = []
        for (key, value) in try policy.entries() {
            if key == "tiers" {
                for t in value.isNull ? [] : try value.sequence() {
                    let x = try t.record(allowed: ["assets", "rehypothecationCap", "minCollateralRatio"])
                    tiers.append((try x.require("assets").sequence().map { try $0.string() },
                                  try x["rehypothecationCap"].map { try Yams.serialize(node: $0.node).trimmed },
                                  try x["minCollateralRatio"].map { try Yams.serialize(node: $0.node).trimmed }))
                }
            } else {
                fields.append((key, try Yams.serialize(node: value.node).trimmed))
            }
        }
        return PolicySet(name: try r.require("name").string(), description: try r["description"]?.string() ?? "",
                         appliesTo: roles, fields: fields, tiers: tiers, file: path)
    }

    /// The `--set` assignments that apply this set to `spec`'s entities, in spec order.
    package func assignments(for spec: Spec) -> [Overrides.Assignment] {
        let symbols = Set(spec.assets.map(\.symbol)) // membership only
        var out: [Overrides.Assignment] = []
        for e in spec.entities where appliesTo.contains(e.role) {
            let prefix = "entities.\(e.name).policy."
            for (key, yaml) in fields { out.append(.init(path: prefix + key, value: yaml)) }
            let kept = tiers.compactMap { t -> String? in
                let assets = t.assets.filter { symbols.contains($0) }
                guard !assets.isEmpty else { return nil }
                var items = ["assets: [" + assets.map { JSON.quote($0) }.joined(separator: ", ") + "]"]
                if let v = t.rehypothecationCap { items.append("rehypothecationCap: \(v)") }
                if let v = t.minCollateralRatio { items.append("minCollateralRatio: \(v)") }
                return "{" + items.joined(separator: ", ") + "}"
            }
            if !tiers.isEmpty { out.append(.init(path: prefix + "tiers", value: "[" + kept.joined(separator: ", ") + "]")) }
        }
        return out
    }

    /// A path as given if a file is there, else `policies/NAME.yaml` beside the spec (the
    /// shipped sets: `replays/policies/`).
    package static func resolve(_ nameOrPath: String, specPath: String) throws -> String {
        if FileManager.default.fileExists(atPath: nameOrPath) { return nameOrPath }
        let dir = (specPath as NSString).deletingLastPathComponent
        let candidate = (dir.isEmpty ? "policies" : dir + "/policies") + "/\(nameOrPath).yaml"
        if !nameOrPath.contains("/"), FileManager.default.fileExists(atPath: candidate) { return candidate }
        let known = (try? FileManager.default.contentsOfDirectory(atPath: (dir.isEmpty ? "." : dir) + "/policies"))?
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted() ?? []
        let hint = Suggestion.didYouMean(nameOrPath, in: known)
        throw SpecError(file: nameOrPath, line: nil, "no such policy set (not a file, nor a name in \(dir.isEmpty ? "" : dir + "/")policies/)\(hint)")
    }
}

extension Replay {
    /// The assignments of policy sets (names or paths) followed by `--set` overrides, for a spec.
    package static func assignments(specPath: String, policies: [String], overrides: [Overrides.Assignment]) throws -> [Overrides.Assignment] {
        guard !policies.isEmpty else { return overrides }
        let plain = try loadSpec(path: specPath, overrides: overrides.filter(isShared))
        var out: [Overrides.Assignment] = []
        for p in policies { out += try PolicySet.load(path: try PolicySet.resolve(p, specPath: specPath)).assignments(for: plain) }
        return out + overrides
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
