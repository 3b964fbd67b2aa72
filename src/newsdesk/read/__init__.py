"""Where pages come from: files, folders, stdin. Bytes in, decoded text out, with bounds."""
