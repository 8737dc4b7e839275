/// Elementary functions in Double built only from IEEE-754 operations that every platform rounds
/// the same way (+, −, ×, ÷, `squareRoot()`, and exact scaling by powers of two), so that a
/// generated price path has the same bits on any machine, debug or release — unlike the C
/// library's `exp`/`log`, whose last bit may differ between platforms. Accurate to a few units in
/// the last place over the ranges the generators use (tested against the library functions).
package enum PortableMath {
    static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
    /// ln 2 split for exp's reduction (Cody–Waite, fdlibm's constants): k × ln2Hi is exact for
    /// |k| < 2¹¹, and ln2Lo carries the rest.
    static let ln2Hi = 6.931_471_803_691_238_164_90e-01, ln2Lo = 1.908_214_929_270_587_700_02e-10

    /// The natural logarithm of x > 0 (−∞ for 0, NaN below). x = m · 2^e with m in [1, 2), and
    /// ln m = 2 atanh((m − 1)/(m + 1)) by its odd series (|y| ≤ 1/3: 24 terms reach 1e−17).
    package static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return x == 0 ? -.infinity : (x.isNaN || x < 0 ? .nan : x) }
        var m = x.significand, e = Double(x.exponent)
        if m > 1.414_213_562_373_095 { m /= 2; e += 1 } // m in [0.707, 1.414): |y| ≤ 0.172
        let y = (m - 1) / (m + 1), y2 = y * y
        var term = y, sum = 0.0
        var k = 1.0
        while k < 60 {
            sum += term / k
            term *= y2
            k += 2
        }
        return 2 * sum + e * ln2
    }

    /// e^x: x = k ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor series (20 terms reach 1e−17 for
    /// |r| ≤ 0.35), then × 2^k exactly. 0 below −745, +∞ above 709.8.
    package static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.78 { return .infinity }
        if x < -745 { return 0 }
        let k = (x / ln2).rounded()
        let r = (x - k * ln2Hi) - k * ln2Lo
        var term = 1.0, sum = 1.0
        var n = 1.0
        while n <= 24 {
            term *= r / n
            sum += term
            n += 1
        }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }

    /// The standard normal quantile Φ⁻¹(p), 0 < p < 1 (Acklam's rational approximation, relative
    /// error below 1.15e−9, with this file's `log`).
    package static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - low {
            let q = (-2 * log(1 - p)).squareRoot()
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }

    /// A uniform draw in (0, 1) from the top 52 random bits: (m + ½) / 2⁵², never 0 or 1.
    package static func open01(_ bits: UInt64) -> Double { (Double(bits >> 12) + 0.5) / 4_503_599_627_370_496 }
}
