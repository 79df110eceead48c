//! The bytes of every file a report is made from, read at one moment: the files `watch`
//! watches ([`crate::watch::watched`]: the configuration, the data, profiles and exports, the
//! KOSTRA folder, the series, the prose and the templates folder), a folder read whole. Two
//! readings are equal exactly when no byte of those files differs, so that a report read
//! between them is still what its files say: the local page lays the report out for its
//! previews and then renders it from that, without reading and summing the exports again.

use std::path::{Path, PathBuf};

/// Every file a report is made from and its bytes (`None`: missing, or not a file that can be
/// read).
#[derive(PartialEq, Eq)]
pub(super) struct InputBytes(Vec<(PathBuf, Option<Vec<u8>>)>);

impl InputBytes {
    /// The bytes of the files the report at `config` is made from, with `templates`.
    pub(super) fn read(config: &Path, templates: &Path) -> InputBytes {
        let mut files = Vec::new();
        for path in crate::watch::watched(config, templates) {
            if path.is_dir() {
                add_folder(&path, &mut files);
            } else {
                files.push((path.clone(), crate::input::read(&path).ok()));
            }
        }
        InputBytes(files)
    }
}

/// The files of `folder` and of its sub-folders, in name order. A link is read as the file
/// it names, never followed into a folder (a link to its own folder would never end).
fn add_folder(folder: &Path, files: &mut Vec<(PathBuf, Option<Vec<u8>>)>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        files.push((folder.to_path_buf(), None));
        return;
    };
    let mut entries: Vec<(PathBuf, bool)> = entries
        .map(|entry| match entry {
            Ok(entry) => {
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                (entry.path(), is_dir)
            }
            // An entry that cannot be listed stands as the folder, unreadable.
            Err(_) => (folder.to_path_buf(), false),
        })
        .collect();
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            add_folder(&path, files);
        } else {
            files.push((path.clone(), crate::input::read(&path).ok()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_byte_or_a_new_template_is_a_different_reading() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("report.toml");
        let templates = dir.path().join("templates");
        std::fs::create_dir_all(templates.join("words")).unwrap();
        std::fs::write(&config, "[report]\nname = \"t\"\n").unwrap();
        std::fs::write(templates.join("words/nb.toml"), "a = \"b\"\n").unwrap();
        let first = InputBytes::read(&config, &templates);
        assert!(first == InputBytes::read(&config, &templates));
        // The configuration cannot be read as a report: it is watched (and read) alone with
        // the templates folder, each file of it.
        assert_eq!(first.0.len(), 2, "{:?}", first.0.iter().map(|f| &f.0));
        std::fs::write(templates.join("words/nb.toml"), "a = \"c\"\n").unwrap();
        let second = InputBytes::read(&config, &templates);
        assert!(first != second);
        std::fs::write(templates.join("extra.typ"), "").unwrap();
        assert!(second != InputBytes::read(&config, &templates));
    }

    /// `budsjett init`'s example in a new folder, and the options `budsjett render` has in it
    /// (absolute paths), writing into `output`.
    fn example(dir: &Path, output: &str) -> crate::pipeline::RenderOptions {
        let request = crate::init::Request {
            dir,
            from: &[],
            sheet: None,
        };
        if !dir.join("data/report.toml").exists() {
            crate::init::init(&request).unwrap();
        }
        crate::pipeline::RenderOptions {
            config: dir.join("data/report.toml"),
            templates: dir.join("templates"),
            output: dir.join(output),
            format: crate::pipeline::OutputFormat::Pdf,
            pdf: crate::typeset::PdfSettings::default(),
            keep_source: false,
        }
    }

    /// What a render of the folder in a process of its own writes (`budsjett render`).
    fn rendered_alone(dir: &Path, output: &str) -> Vec<u8> {
        let rendered = crate::pipeline::Renderer::render_once(example(dir, output), &|_| {});
        std::fs::read(&rendered.unwrap().files[0]).unwrap()
    }

    #[test]
    fn a_render_after_a_layout_prints_what_was_read_unless_a_file_changed_since() {
        let dir = tempfile::tempdir().unwrap();
        let mut renderer = crate::pipeline::Renderer::new(example(dir.path(), "page"));
        renderer.lay_out().unwrap();
        assert!(renderer.laid_out.is_some(), "the layout keeps what it read");
        let rendered = renderer.render(&|_| {}).unwrap();
        assert!(renderer.laid_out.is_none(), "the render took it");
        let page = std::fs::read(&rendered.files[0]).unwrap();
        assert!(page == rendered_alone(dir.path(), "alone"));
        // The title changes between the layout and the render: the render reads it anew.
        renderer.lay_out().unwrap();
        let config = dir.path().join("data/report.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        let changed = text.replace("title = \"Driftsbudsjett\"", "title = \"Nytt navn\"");
        assert_ne!(text, changed);
        std::fs::write(&config, changed).unwrap();
        let rendered = renderer.render(&|_| {}).unwrap();
        let page_after = std::fs::read(&rendered.files[0]).unwrap();
        assert!(
            page_after != page,
            "the render printed the report read before the change"
        );
        assert!(page_after == rendered_alone(dir.path(), "alone"));
    }
}
