perfvisor multiboot module
