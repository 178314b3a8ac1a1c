"""Public network directory, results posts, join requests and contact messages."""
