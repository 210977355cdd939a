/// Reads dates and date ranges in the forms reports print them.
///
///     23 January – 3 February 2012        Between 23 January and 3 February 2012
///     4 March 2019 to 15 March 2019       16 September 2014 – 8 October 2014
///     15-19 July 2013                     8 – 12 July 2013
///     6th to 30th March 2017              9–24 November 2017
///     28 July 2016                        November 2011 (month only: text, no days)
///
/// A first date without a year takes the second's (the year before, when its month is later).
enum Dates {
    struct Found: Sendable, Equatable {
        var start: String?
        var end: String?
        /// The dates as written.
        var text: String
        /// Word range in the searched text.
        var range: Range<Int>
    }

    static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]

    private static let separators: Set<String> = ["-", "to", "and", "until", "till", "through"]

    /// The first date range (or single date, or month and year) in `words` at or after `from`.
    static func firstRange(in words: Words, from: Int = 0, limit: Int = 40) -> Found? {
        var i = from
        let end = min(words.count, from + limit)
        while i < end {
            if let found = range(in: words, at: i) { return found }
            i += 1
        }
        return nil
    }

    /// The first single full date (day, month, year) in `words` at or after `from`.
    static func firstDate(in words: Words, from: Int = 0, limit: Int = 40) -> Found? {
        var i = from
        let end = min(words.count, from + limit)
        while i < end {
            if let (day, month, year, next) = fullDate(words, i), let iso = iso(year, month, day) {
                return Found(start: iso, end: iso, text: words.text(i..<next), range: i..<next)
            }
            i += 1
        }
        return nil
    }

    /// A range, a single date, or a month and year, starting exactly at `i`.
    static func range(in words: Words, at i: Int) -> Found? {
        var start = i
        if words[i].text == "between" { start += 1 }
        guard start < words.count else { return nil }
        // A numeric first date: "1/06/2015 – 25/06/2015".
        if let (d1, m1, y1, after) = numericDate(words, start) {
            var k = after
            if k < words.count, separators.contains(words[k].text) {
                k += 1
                if let (d2, m2, y2, next) = fullDate(words, k), let startISO = iso(y1, m1, d1), let endISO = iso(y2, m2, d2), startISO <= endISO {
                    return Found(start: startISO, end: endISO, text: words.text(start..<next), range: i..<next)
                }
            }
            if let single = iso(y1, m1, d1) { return Found(start: single, end: single, text: words.text(start..<after), range: i..<after) }
            return nil
        }
        // day [month [year]] sep day month year
        if let day1 = day(words, start) {
            var j = start + 1
            var month1: Int? = nil
            var year1: Int? = nil
            if j < words.count, let m = months[words[j].text] {
                month1 = m
                j += 1
                if j < words.count, let y = year(words, j) {
                    year1 = y
                    j += 1
                }
            }
            var k = j
            if k < words.count, separators.contains(words[k].text) || words[k].text == "," {
                k += 1
            } else if month1 != nil {
                k = -1  // "4 March 2019" with no second date: a single date, below
            }
            if k > 0, let (day2, month2, year2, next) = fullDate(words, k) {
                let resolvedMonth1 = month1 ?? month2
                var resolvedYear1 = year1 ?? year2
                if year1 == nil, resolvedMonth1 > month2 { resolvedYear1 -= 1 }
                if let startISO = iso(resolvedYear1, resolvedMonth1, day1), let endISO = iso(year2, month2, day2), startISO <= endISO {
                    return Found(start: startISO, end: endISO, text: words.text(start..<next), range: i..<next)
                }
            }
            if let m = month1, let y = year1, let single = iso(y, m, day1) {
                return Found(start: single, end: single, text: words.text(start..<j), range: i..<j)
            }
            return nil
        }
        // Month and year only: text, no days.
        if let _ = months[words[start].text], words[start].text.count > 3, start + 1 < words.count, year(words, start + 1) != nil {
            return Found(start: nil, end: nil, text: words.text(start..<(start + 2)), range: i..<(start + 2))
        }
        return nil
    }

    /// "4 March 2019", or numerically "1/06/2015" (day first, as British reports write it).
    private static func fullDate(_ words: Words, _ i: Int) -> (Int, Int, Int, Int)? {
        if let numeric = numericDate(words, i) { return numeric }
        guard i + 2 < words.count, let d = day(words, i), let m = months[words[i + 1].text], let y = year(words, i + 2) else {
            return nil
        }
        return (d, m, y, i + 3)
    }

    /// "12/09/2016" → day 12, month 9, 2016.
    private static func numericDate(_ words: Words, _ i: Int) -> (Int, Int, Int, Int)? {
        guard i + 4 < words.count, words[i + 1].text == "/", words[i + 3].text == "/", let d = day(words, i),
              words[i + 2].text.count <= 2, let m = Int(words[i + 2].text), (1...12).contains(m), let y = year(words, i + 4) else {
            return nil
        }
        return (d, m, y, i + 5)
    }

    /// 1–31, with or without an ordinal suffix ("6th").
    private static func day(_ words: Words, _ i: Int) -> Int? {
        var text = Substring(words[i].text)
        for suffix in ["st", "nd", "rd", "th"] where text.hasSuffix(suffix) && text.count > 2 {
            text = text.dropLast(2)
            break
        }
        guard text.count <= 2, let value = Int(text), (1...31).contains(value) else { return nil }
        return value
    }

    private static func year(_ words: Words, _ i: Int) -> Int? {
        let text = words[i].text
        guard text.count == 4, let value = Int(text), (1990...2100).contains(value) else { return nil }
        return value
    }

    static func iso(_ year: Int, _ month: Int, _ day: Int) -> String? {
        let lengths = [31, (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), day >= 1, day <= lengths[month - 1] else { return nil }
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }
}
