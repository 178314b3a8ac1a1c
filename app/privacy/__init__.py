"""The rights of a person (export, deletion) and the retention rules (`flask retention`)."""
