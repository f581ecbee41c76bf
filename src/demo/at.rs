//! [`At`]: where a record sits (file and key), to build the errors about it.

use std::collections::HashMap;

use super::DemoError;
use crate::domain::Invalid;

/// Where a record sits, for error messages.
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    file: &'static str,
    key: &'a str,
}

impl<'a> At<'a> {
    pub(super) fn new(file: &'static str, key: &'a str) -> Self {
        Self { file, key }
    }

    pub(super) fn find(
        self,
        map: &HashMap<&str, usize>,
        field: &'static str,
        target: &str,
        target_file: &'static str,
    ) -> Result<usize, DemoError> {
        map.get(target)
            .copied()
            .ok_or_else(|| DemoError::UnknownKey {
                file: self.file,
                key: self.key.to_string(),
                field,
                target: target.to_string(),
                target_file,
            })
    }

    pub(super) fn bad(self, message: impl Into<String>) -> DemoError {
        DemoError::Bad {
            file: self.file,
            key: self.key.to_string(),
            message: message.into(),
        }
    }

    pub(super) fn valid<T>(
        self,
        input: T,
        check: impl Fn(&T) -> Result<(), Invalid>,
    ) -> Result<T, DemoError> {
        check(&input).map_err(|source| DemoError::Invalid {
            file: self.file,
            key: self.key.to_string(),
            source,
        })?;
        Ok(input)
    }

    pub(super) fn rejected<E: Into<crate::service::ServiceError>>(
        self,
    ) -> impl FnOnce(E) -> DemoError {
        let (file, key) = (self.file, self.key.to_string());
        move |source| DemoError::Rejected {
            file,
            key,
            source: source.into(),
        }
    }
}
