"""Static files storage: every file under a name with its content's hash."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed, hashed storage, also rewriting what a JavaScript module
    imports (static/js/app.js imports nhsuk-frontend) to the hashed name, so that file too
    is cached for a year and replaced the day it changes, like every other."""

    support_js_module_import_aggregation = True
