//! What every file a report is made from holds, read at one moment: the files `watch`
//! watches ([`crate::watch::watched`]: the configuration, the data, profiles and exports, the
//! KOSTRA folder, the series, the prose and the templates folder), a folder read whole, each
//! file kept as the SHA-256 of its bytes. Two readings are equal exactly when no file's bytes
//! differ (or a file comes and goes), so that a report read between them is still what its
//! files say: the local page lays the report out for its previews and then renders it from
//! that, without reading and summing the exports again. A reading with a file that could not
//! be read says nothing (it is `None`): a file held by another program may have changed.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Every file a report is made from, with the SHA-256 of its bytes (`None`: there is no such
/// file, e.g. a report folder without templates of its own).
#[derive(PartialEq, Eq, Debug)]
pub(super) struct InputBytes(Vec<(PathBuf, Option<[u8; 32]>)>);

impl InputBytes {
    /// The files the report at `config` is made from, with `templates`; `None` when one of
    /// them, or a folder of them, cannot be read.
    pub(super) fn read(config: &Path, templates: &Path) -> Option<InputBytes> {
        let mut files = Vec::new();
        for path in crate::watch::watched(config, templates) {
            if path.is_dir() {
                add_folder(&path, &mut files)?;
            } else {
                add_file(path, &mut files)?;
            }
        }
        Some(InputBytes(files))
    }
}

/// Adds a file's digest; `None` when it exists but cannot be read.
fn add_file(path: PathBuf, files: &mut Vec<(PathBuf, Option<[u8; 32]>)>) -> Option<()> {
    let digest = match crate::input::read(&path) {
        Ok(bytes) => Some(Sha256::digest(&bytes).into()),
        Err(_) if !path.exists() => None,
        Err(_) => return None,
    };
    files.push((path, digest));
    Some(())
}

/// The files of `folder` and of its sub-folders, in name order. A link is read as the file
/// it names, never followed into a folder (a link to its own folder would never end).
fn add_folder(folder: &Path, files: &mut Vec<(PathBuf, Option<[u8; 32]>)>) -> Option<()> {
    let mut entries: Vec<(PathBuf, bool)> = std::fs::read_dir(folder)
        .ok()?
        .map(|entry| {
            let entry = entry.ok()?;
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            Some((entry.path(), is_dir))
        })
        .collect::<Option<_>>()?;
    entries.sort();
    for (path, is_dir) in entries {
        if is_dir {
            add_folder(&path, files)?;
        } else {
            add_file(path, files)?;
        }
    }
    Some(())
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
        let first = InputBytes::read(&config, &templates).unwrap();
        assert!(first == InputBytes::read(&config, &templates).unwrap());
        // The configuration cannot be read as a report: it is watched (and read) alone with
        // the templates folder, each file of it.
        assert_eq!(first.0.len(), 2, "{:?}", first.0.iter().map(|f| &f.0));
        std::fs::write(templates.join("words/nb.toml"), "a = \"c\"\n").unwrap();
        let second = InputBytes::read(&config, &templates).unwrap();
        assert!(first != second);
        std::fs::write(templates.join("extra.typ"), "").unwrap();
        assert!(second != InputBytes::read(&config, &templates).unwrap());
        // A file that cannot be read (here: a device, which no input may be) makes a reading
        // that says nothing, never one equal to another.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/dev/null", templates.join("device.typ")).unwrap();
            assert!(InputBytes::read(&config, &templates).is_none());
        }
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
        assert!(renderer.reused, "the render printed what the layout read");
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
        assert!(!renderer.reused, "the render read the changed files");
        let page_after = std::fs::read(&rendered.files[0]).unwrap();
        assert!(
            page_after != page,
            "the render printed the report read before the change"
        );
        assert!(page_after == rendered_alone(dir.path(), "alone"));
    }
}
