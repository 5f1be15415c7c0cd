"""Swagger UI under the site's strict Content Security Policy, with no relaxation at all.

drf-spectacular's default page inlines its start-up script and a style block, which the policy
(script-src/style-src 'self') blocks. The split view serves the start-up script from a URL of its
own, and our template moves the style block into a static file; swagger-ui itself comes from the
sidecar package's static files, never a CDN.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
