{
  "targets": [
    {
      "target_name": "cyclorama_shm",
      "sources": ["shm.c"],
      "cflags": ["-O2", "-std=c11", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-std=c11"] }
    }
  ]
}
