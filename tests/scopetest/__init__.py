"""A throwaway domain app, only in the test settings: one model with a village foreign key
and a scope declaration, and the page, API and workbook kind a domain app brings. It
touches no other app: the tests prove that declaring is enough to be scoped."""
