"""The shared service over HTTP (FastAPI): thin routes over the operational store."""
