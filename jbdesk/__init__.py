"""jbdesk: offline reporting for the facilities of 전북특별자치도사회서비스원."""

__version__ = "0.1.0"
APP_NAME = "jbdesk"
