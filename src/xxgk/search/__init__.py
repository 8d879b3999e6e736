"""Full-text search: Pagefind indexing at build time, facets, and the query dictionary."""
