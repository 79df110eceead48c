//! What a browser's form sends, read: the files of a `multipart/form-data` body, the fields of
//! an `application/x-www-form-urlencoded` one, and the name an upload is stored under (chosen
//! here from letters and digits of the browser's name, never used as a path).

/// The extensions an export may have, in lower case: CSV text or a workbook.
const EXPORT_EXTENSIONS: [&str; 6] = ["csv", "txt", "xlsx", "xlsm", "xls", "ods"];
/// The longest stem a stored export keeps.
const MAX_STEM: usize = 60;

/// The files of the parts named `field` of a `multipart/form-data` body (an `<input
/// multiple>` sends one part each), in order: the browser's name for each and its bytes.
/// Refused when there is none.
pub(super) fn file_parts<'b>(
    content_type: &str,
    body: &'b [u8],
    field: &str,
) -> Result<Vec<(String, &'b [u8])>, String> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))
        .filter(|_| content_type.trim_start().starts_with("multipart/form-data"))
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty() && b.len() <= 70)
        .ok_or_else(|| crate::msg!("serve.no_file"))?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut files = Vec::new();
    let mut rest = body;
    // A body that stops before its closing delimiter was cut off on the way (a browser that
    // gave up, a dropped connection): refused whole, never its first files alone.
    let incomplete = || crate::msg!("serve.upload_incomplete");
    let mut closed = false;
    while let Some(at) = find(rest, &delimiter) {
        rest = &rest[at + delimiter.len()..];
        if rest.starts_with(b"--") {
            closed = true;
            break;
        }
        let rest_part = rest.strip_prefix(b"\r\n").unwrap_or(rest);
        let head_end = find(rest_part, b"\r\n\r\n").ok_or_else(incomplete)?;
        let head = String::from_utf8_lossy(&rest_part[..head_end]);
        let content = &rest_part[head_end + 4..];
        let end =
            find(content, &[b"\r\n".as_slice(), &delimiter].concat()).ok_or_else(incomplete)?;
        // A file field with no file chosen is sent with an empty name.
        if let Some(name) = disposition(&head, field).filter(|n| !n.is_empty()) {
            files.push((name, &content[..end]));
        }
        rest = &content[end..];
    }
    if files.is_empty() {
        return Err(crate::msg!("serve.no_file"));
    }
    if !closed {
        return Err(incomplete());
    }
    Ok(files)
}

/// The file name of a part's head when it is the file field `field`.
fn disposition(head: &str, field: &str) -> Option<String> {
    let line = head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
    let parameter = |key: &str| {
        line.split(';').map(str::trim).find_map(|p| {
            p.strip_prefix(key)
                .and_then(|v| v.strip_prefix('='))
                .map(|v| v.trim_matches('"').to_string())
        })
    };
    (parameter("name").as_deref() == Some(field)).then(|| parameter("filename").unwrap_or_default())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The fields of an `application/x-www-form-urlencoded` body, in order.
pub(super) fn url_encoded(body: &[u8]) -> Vec<(String, String)> {
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |b| *b == b'=');
            let key = decode(parts.next().unwrap_or_default());
            let value = decode(parts.next().unwrap_or_default());
            (key, value)
        })
        .collect()
}

/// Percent-decoding, `+` as a space; bytes that are not UTF-8 become U+FFFD.
fn decode(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let byte = text
                    .get(i + 1..i + 3)
                    .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match byte {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The name an upload is stored under in `data/`: the letters and digits of the browser's
/// file name (others become `-`), at most 60 of them, with its extension in lower case, which
/// must be an export's. Nothing of the browser's name is a path: no folder, no dot file.
pub(super) fn stored_name(browser_name: &str) -> Result<String, String> {
    // The last part of a path, whichever system's separator the browser sent.
    let base = browser_name.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, extension) = base.rsplit_once('.').unwrap_or((base, ""));
    let extension = extension.to_ascii_lowercase();
    if !EXPORT_EXTENSIONS.contains(&extension.as_str()) {
        let file = format!("{base:?}");
        return Err(crate::msg!("serve.not_an_export", file));
    }
    let mut clean = String::new();
    for c in stem.chars().take(MAX_STEM) {
        if c.is_alphanumeric() {
            clean.push(c);
        } else if !clean.ends_with('-') {
            clean.push('-');
        }
    }
    let clean = clean.trim_matches('-');
    // A name Windows keeps for devices is given a suffix.
    let reserved = ["con", "prn", "aux", "nul", "com1", "lpt1"];
    let clean = if clean.is_empty() || reserved.contains(&clean.to_lowercase().as_str()) {
        format!("{clean}eksport")
    } else {
        clean.to_string()
    };
    Ok(format!("{clean}.{extension}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_part_is_found_by_its_field_name() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhei\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"export\"; filename=\"a b.csv\"\r\n\
Content-Type: text/csv\r\n\r\nx;y\r\n1;2\r\n--XyZ--\r\n";
        let files = file_parts("multipart/form-data; boundary=XyZ", body, "export").unwrap();
        assert_eq!(
            files,
            vec![("a b.csv".to_string(), b"x;y\r\n1;2".as_slice())]
        );
        assert!(file_parts("multipart/form-data; boundary=XyZ", body, "none").is_err());
        assert!(file_parts("text/plain", body, "export").is_err());
    }

    #[test]
    fn every_file_of_a_multiple_input_is_found_in_order() {
        let body =
            b"--B\r\nContent-Disposition: form-data; name=\"export\"; filename=\"a.csv\"\r\n\r\n\
1\r\n--B\r\nContent-Disposition: form-data; name=\"export\"; filename=\"\"\r\n\r\n\r\n\
--B\r\nContent-Disposition: form-data; name=\"export\"; filename=\"b.xlsx\"\r\n\r\n2\r\n--B--\r\n";
        let files = file_parts("multipart/form-data; boundary=B", body, "export").unwrap();
        let names: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        assert_eq!(
            names,
            vec![("a.csv", b"1".as_slice()), ("b.xlsx", b"2".as_slice())]
        );
    }

    #[test]
    fn a_body_cut_off_before_its_closing_delimiter_is_refused_whole() {
        let whole =
            b"--B\r\nContent-Disposition: form-data; name=\"export\"; filename=\"a.csv\"\r\n\r\n\
1\r\n--B\r\nContent-Disposition: form-data; name=\"export\"; filename=\"b.csv\"\r\n\r\n2\r\n--B--\r\n";
        let kind = "multipart/form-data; boundary=B";
        assert_eq!(file_parts(kind, whole, "export").unwrap().len(), 2);
        let incomplete = crate::msg!("serve.upload_incomplete");
        // Cut in the second part's head, in its content, and just before the closing `--`:
        // each cut would have kept a.csv alone.
        for cut in ["filename=\"b.c", "\r\n\r\n2", "2\r\n--B"] {
            let at = whole
                .windows(cut.len())
                .rposition(|w| w == cut.as_bytes())
                .unwrap()
                + cut.len();
            assert_eq!(
                file_parts(kind, &whole[..at], "export"),
                Err(incomplete.clone()),
                "cut after {cut:?}"
            );
        }
    }

    #[test]
    fn url_encoded_fields_are_decoded() {
        let fields = url_encoded(b"col0=area&unit=1000+kr&x=%C3%A5r%2F%&y");
        assert_eq!(
            fields,
            vec![
                ("col0".into(), "area".into()),
                ("unit".into(), "1000 kr".into()),
                ("x".into(), "år/%".into()),
                ("y".into(), String::new()),
            ]
        );
    }

    #[test]
    fn the_stored_name_is_chosen_from_letters_and_digits() {
        assert_eq!(
            stored_name("Bergen drift 2012.CSV").unwrap(),
            "Bergen-drift-2012.csv"
        );
        assert_eq!(stored_name("../../etc/passwd.csv").unwrap(), "passwd.csv");
        assert_eq!(stored_name("C:\\x\\..\\.csv").unwrap(), "eksport.csv");
        assert_eq!(stored_name("nul.xlsx").unwrap(), "nuleksport.xlsx");
        assert!(stored_name("report.toml").is_err());
        assert!(stored_name("eksport").is_err());
    }
}
