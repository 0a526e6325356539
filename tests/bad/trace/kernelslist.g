kernel-nosuch.traceg
