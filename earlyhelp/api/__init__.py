"""REST API (Django REST framework): no models of its own."""
