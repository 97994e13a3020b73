//! Maintainer and CI tasks that are more than a call into `codegen` or `project-support`, as a
//! library so that tests can run them too.

pub mod changelog;
pub mod msrv;
