//! The privacy officers' workspace over HTTP, as a browser uses it: sign-in, adding and editing
//! records through the forms, the admin pages, the audit log and the intake review.

mod admin;
mod audit;
mod dashboard;
mod forms;
mod import;
mod new_vendor;
mod paging;
mod passwords;
mod sign_in;
mod vendors;
