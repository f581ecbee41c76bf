pub mod admins;
pub mod drivers;
