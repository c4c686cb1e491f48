"""The Content-Security-Policy header (django-csp), on every answer but a PDF.

Chrome shows a PDF that the browser opens (the timetable's week, `Content-Disposition: inline`) inside a page of its
own with an <embed> and inline styles, and that page obeys the PDF's policy: `object-src 'none'` and `style-src
'self'` leave it blank (crbug.com/271452). A PDF runs none of our scripts, so it goes without the header; every HTML
page, partial and other file keeps it.
"""

from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_exempt = True
        return super().process_response(request, response)
